"""Writes of the grants module, one submodule per area; import from the submodule."""
