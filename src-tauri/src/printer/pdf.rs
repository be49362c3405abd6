//! A ticket (the Z report) as an A4 PDF: the same lines the thermal printer prints, in
//! the PDF's built-in Courier (no font file to ship; WinAnsi covers á, ñ, ¿), as many
//! pages as it takes. Page geometry is in points (f32); no amount is ever a float here,
//! the amounts are already text.

use printpdf::{BuiltinFont, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem};

use crate::domain::Ticket;

/// Characters per line on the page: Courier 10 pt is 6 pt a character, 64 of them fit
/// 170 mm with the margins.
pub const PDF_COLUMNS: usize = 64;
const FONT_SIZE: f32 = 10.0;
const LINE_HEIGHT: f32 = 13.0;
const LINES_PER_PAGE: usize = 56;
const PAGE_WIDTH: f32 = 210.0;
const PAGE_HEIGHT: f32 = 297.0;
const MARGIN: f32 = 20.0;

/// The PDF file's bytes for `ticket`, titled `title`.
pub fn ticket_pdf(title: &str, ticket: &Ticket) -> Vec<u8> {
    let lines = ticket.render(PDF_COLUMNS);
    let mut pages = Vec::new();
    for chunk in lines.chunks(LINES_PER_PAGE) {
        let mut ops = vec![
            Op::StartTextSection,
            Op::SetTextCursor { pos: Point::new(Mm(MARGIN), Mm(PAGE_HEIGHT - MARGIN)) },
            Op::SetLineHeight { lh: Pt(LINE_HEIGHT) },
        ];
        for line in chunk {
            let font = if line.big { BuiltinFont::CourierBold } else { BuiltinFont::Courier };
            ops.push(Op::SetFont { font: PdfFontHandle::Builtin(font), size: Pt(FONT_SIZE) });
            ops.push(Op::ShowText { items: vec![TextItem::Text(line.text.clone())] });
            ops.push(Op::AddLineBreak);
        }
        ops.push(Op::EndTextSection);
        pages.push(PdfPage::new(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), ops));
    }
    PdfDocument::new(title).with_pages(pages).save(&PdfSaveOptions::default(), &mut Vec::new())
}
