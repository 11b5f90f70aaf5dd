"""Case campaigns: a call, submissions, expert review, ranking, awards, publishing."""
