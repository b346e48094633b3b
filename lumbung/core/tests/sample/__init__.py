"""A small module used only by core's tests: it exercises the module registry, the
region wall and the workflow engine exactly as a real module would."""
