"""Commands of the game, one module per concern, gathered in default_cmdsets."""
