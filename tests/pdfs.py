"""PDF fixtures written at test time with fpdf2: a report with running headers and page
numbers, an encrypted one, and a truncated one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

REPORT_PARAGRAPHS = [
    "Executive summary",
    "Japan delivered six patrol vessels to the Philippine Coast Guard in 2024 under its Official Security "
    "Assistance programme, a package this report values at 35 billion yen over three years of deliveries.",
    "Survey work across the region found that 71% of coast guard officials trust Japan as a security partner, "
    "while more than 1,200 officers completed maritime domain awareness courses between 2022 and 2024.",
    "Regional outlook",
    "The Coastal Radar Partnership (CRP) linked eleven radar stations along the Sulu Sea by December 2024, and "
    "officials expect the network to cover nearly two-thirds of the shipping lanes it monitors within a year.",
]
RUNNING_HEADER = "Harbour Review Quarterly | Maritime Cooperation Report 2025"


def write_report(path: Path, pages_of_filler: int = 3, password: str | None = None) -> Path:
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 8, RUNNING_HEADER, align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 10, f"Page {self.page_no()}", align="C")

    pdf = Report()
    pdf.set_title("Maritime Cooperation Report 2025")
    pdf.set_author("Harbour Review Research Desk")
    pdf.set_creation_date(datetime(2025, 3, 1))
    if password:
        pdf.set_encryption(owner_password=password, user_password=password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for paragraph in REPORT_PARAGRAPHS:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)
    for n in range(pages_of_filler):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Annex {n + 1}")
        pdf.ln(4)
        pdf.multi_cell(0, 6, "Station logs for this annex list routine patrol reports filed by partner coast guards "
                             "during the quarter, summarised by district and by vessel class for reference.")
        pdf.ln(4)
    pdf.output(str(path))
    return path
