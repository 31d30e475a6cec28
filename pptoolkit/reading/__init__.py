"""Reading sources: Markdown documents and YAML with positions, links, the text of PDF files."""
