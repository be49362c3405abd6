// The save dialog every CSV export goes through: the manager picks the file, the core
// writes it (with the csv crate) and answers with the path it wrote.
import { save } from '@tauri-apps/plugin-dialog';

/** The chosen path for a CSV file, or null when the dialog was cancelled. */
export async function chooseCsvPath(title: string, defaultPath: string): Promise<string | null> {
  return await save({ title, defaultPath, filters: [{ name: 'CSV', extensions: ['csv'] }] });
}
