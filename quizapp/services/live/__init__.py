"""Live class games (issue 13): one module per concept. `games` (making a game, its rights, the
teacher's moves), `players` (joining, removal, answers), `results` (what the screens and
reports read), `events` (the numbered event log) and `transport` (how streams wait for new
events: the database log polled, or Redis pub/sub waking them). Callers import the modules.
"""
