"""Insights: segment reports, forecast, dashboards and scorecards."""
