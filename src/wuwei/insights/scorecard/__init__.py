"""The five-dimension scorecard (道术本势律, METHOD.md §8) per team and rep, the three uses
recorded at a deal's close (三利用) and collections (回款) on won deals."""
