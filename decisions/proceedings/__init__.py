"""The accepted program: JSON and CSV exports, the program booklet (PDF) and the ZIP of final
PDFs (docs/proceedings.md)."""
