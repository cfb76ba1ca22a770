"""Explainable matching on shared experience: features, scoring, top-10 suggestions and batch assignment.

`features` and `scoring` are plain numpy/scipy (no Django) so the benchmark can drive them directly;
`adapter` turns requests and supporter profiles into features.
"""
