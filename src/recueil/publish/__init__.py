"""Publishing the acts: the PDF files and their chained register, the recueil of a period, masking.

- publisher.py: what is to be published (each deliberation, each séance's list and procès-verbal),
  at which path and address, and publishing or correcting it;
- render.py, layout.py, fonts.py: the PDF files (reportlab);
- register.py: the append-only register and `publications(folder)` for the site; verify.py: its check;
- compile.py: the recueil of a period, with its sommaire;
- masking.py: the names of private persons, masked in what is published.

Nothing is re-exported here, so that importing masking (as the web site does) loads no PDF library.
"""
