"""Developer tools: run by hand, never shipped (not in the wheel) and never imported by `bot` or `scoring`.

They may import `bot` and the test helpers (`tests.fakediscord`); see each tool's README.
"""
