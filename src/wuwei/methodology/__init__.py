"""Pure rules of the Wuwei method (METHOD.md): no Django imports, no I/O, no clock."""
