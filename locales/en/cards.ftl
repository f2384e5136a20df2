# Words every card shares (cards/*.json reach them as ${$root.t.<name without t_>}).

t_data_as_of = data as of
t_open_in_superset = Open in Superset
t_refresh = Refresh
t_show_commands = Show commands
cards-and-more = …and { $n } more
