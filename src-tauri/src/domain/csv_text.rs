//! Imported CSV files (the provider's statement, the bank's commission statement) and the
//! CSV exports, both through the `csv` crate.
//!
//! An import is read the way a Bolivian spreadsheet writes it: `,` or `;` between fields
//! (sniffed from each line: `;` when it has one outside quotes, so `123456;150,50` is
//! Bs 150,50), fields in double quotes (so `"150,50"` keeps its comma decimal in a `,`
//! line), a byte-order mark at the start, blank lines skipped. Every row keeps its line
//! number, so an unreadable one is reported where the file has it. A field never spans
//! lines in these files.

/// One row of an imported file: the line it starts on (1-based), its fields trimmed, and
/// that line's text as the file has it (for a report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub line: i64,
    pub fields: Vec<String>,
    pub text: String,
}

/// `;` when the line has a semicolon outside double quotes, else `,`.
pub fn sniff_delimiter(line: &str) -> u8 {
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => return b';',
            _ => {}
        }
    }
    b','
}

/// The non-blank rows of an imported file, each read by the csv crate with the delimiter
/// sniffed from its own line (a header written with `,` over data written with `;` is read
/// as meant), or the number of a line the reader could not read.
pub fn read_rows(text: &str) -> Vec<Result<CsvRow, i64>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line = index as i64 + 1;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .delimiter(sniff_delimiter(raw))
            .from_reader(raw.as_bytes());
        let mut record = csv::StringRecord::new();
        match reader.read_record(&mut record) {
            Ok(true) => rows.push(Ok(CsvRow { line, fields: record.iter().map(str::to_string).collect(), text: raw.trim().to_string() })),
            Ok(false) => {}
            Err(_) => rows.push(Err(line)),
        }
    }
    rows
}

/// A CSV file written for a spreadsheet in Bolivia: a byte-order mark (so it opens as
/// UTF-8), `;` between fields (the comma is the decimal separator), every field quoted
/// when it must be, and a text that a spreadsheet would run as a formula made inert.
pub fn write_table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, csv::Error> {
    let mut writer =
        csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row.iter().map(|f| inert(f).into_owned()))?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A field starting with `=`, `+`, `-` or `@` runs as a formula in a spreadsheet unless it
/// is a number ("-5,00"): such a text gets a leading apostrophe.
pub fn inert(field: &str) -> std::borrow::Cow<'_, str> {
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.');
    let formula = field.starts_with(['=', '+', '@']) || (field.starts_with('-') && !number(&field[1..]));
    if formula {
        format!("'{field}").into()
    } else {
        field.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<(i64, Vec<String>)> {
        read_rows(text).into_iter().map(|r| r.map(|r| (r.line, r.fields)).unwrap()).collect()
    }

    #[test]
    fn a_semicolon_file_keeps_its_comma_decimals() {
        assert_eq!(sniff_delimiter("123456;150,50"), b';');
        assert_eq!(fields("123456;150,50\n"), vec![(1, vec!["123456".to_string(), "150,50".into()])]);
    }

    #[test]
    fn quotes_a_bom_blank_lines_and_crlf_are_read_with_their_line_numbers() {
        let rows = fields("\u{feff}ref,monto\r\n\r\n\"A,1\",\"1.234,50\" \r\n\nB;x,2\n");
        assert_eq!(
            rows,
            vec![
                (1, vec!["ref".to_string(), "monto".into()]),
                (3, vec!["A,1".to_string(), "1.234,50".into()]),
                (5, vec!["B".to_string(), "x,2".into()]),
            ]
        );
        assert_eq!(sniff_delimiter("\"a;b\",c"), b',');
        assert_eq!(fields("ref,monto\nA;1,50\n\"B\",\"2,50\""), vec![
            (1, vec!["ref".to_string(), "monto".into()]),
            (2, vec!["A".to_string(), "1,50".into()]),
            (3, vec!["B".to_string(), "2,50".into()]),
        ]);
    }

    #[test]
    fn a_written_table_reads_back_field_for_field() {
        let bytes = write_table(&["a", "b"], [vec!["x;y".to_string(), "1.234,50".into()], vec!["\"q\"".into(), String::new()]]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let rows = fields(&text);
        assert_eq!(rows[1].1, vec!["x;y".to_string(), "1.234,50".into()]);
        assert_eq!(rows[2].1, vec!["\"q\"".to_string(), String::new()]);
        let bytes = write_table(&["a", "b"], [vec!["=1+1".to_string(), "x".into()], vec!["-5,00".into(), "x".into()], vec!["-x".into(), "x".into()]]).unwrap();
        let rows = fields(&String::from_utf8(bytes).unwrap());
        assert_eq!(rows.iter().skip(1).map(|r| r.1[0].as_str()).collect::<Vec<_>>(), vec!["'=1+1", "-5,00", "'-x"]);
    }
}
