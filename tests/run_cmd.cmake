# run_cmd, the tests' way of running programs: what it reports.
quire_test(test_run_cmd test_run_cmd.c run_cmd.c)
