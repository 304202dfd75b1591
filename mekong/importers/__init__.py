"""Importing a portfolio: IATI activity XML (1.0x, 2.0x) and the spreadsheet template.

Entry points (the command line and the Data page use the same ones):
- import_files(paths, db_path) / import_data([(name, bytes)], db_path) -> ImportReport
- remove_imports([document_id], db_path) -> number of activities removed
- template.xlsx_bytes(), template.csv_bytes(sheet), template.columns_markdown()

Modules: safety (size, type, encoding, safe XML), iati and sheet (readers -> Batch),
places (province of a location), apply (Batch -> database), run (all or nothing), report.
"""
from mekong.importers.report import FileReport, ImportReport
from mekong.importers.run import import_data, import_files, remove_imports
from mekong.importers.safety import MAX_BYTES

__all__ = ["MAX_BYTES", "FileReport", "ImportReport", "import_data", "import_files", "remove_imports"]
