"""Compilations of replies (per question, State by State) and PDFs of registered submissions."""

from .render import render_docx, render_html, render_pdf, render_submission_pdf
from .selectors import Compilation, UnknownQuestion, compile_replies, submission_document

__all__ = [
    "Compilation",
    "UnknownQuestion",
    "compile_replies",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_submission_pdf",
    "submission_document",
]
