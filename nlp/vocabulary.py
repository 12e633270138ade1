"""The entity labels and launch stages launchwire's records are written in (DESIGN.md).

Free of spaCy, so the site can share them without loading a language model.
"""

# The tech entity labels launchwire adds to the model's own.
LABELS = ("COMPANY", "APP", "PRODUCT")
# What a launch is of: an app or a product, never a company.
PRODUCT_LABELS = tuple(label for label in LABELS if label != "COMPANY")
# A launch's stages, in the order a product goes through them.
STAGES = ("rumored", "planned", "announced", "launched")
