"""Pages of the committee: members, meetings with their agenda and attendance and the minutes, action
items and requests, problems and obstacles (one module each)."""
