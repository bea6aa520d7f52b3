"""Stage 2: passes over the model that work out once what every format needs
(portion marks, ids, numbers, references)."""
