"""Classification markings: the rules for banners and portion marks, and the
blocks a first page carries."""
