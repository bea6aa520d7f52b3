"""Everything that touches WeasyPrint, pydyf or pyphen, including the patches
to their internals, each checking the versions it was written for."""
