"""The forecast (METHOD.md §8): the grid by period, team and rep, last week's figures from
the weekly win-rate snapshots, the unrated deals apart, and the managers' adjustments."""
