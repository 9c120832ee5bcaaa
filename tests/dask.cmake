# test_dask: quire as a stage of Dask distributed (tests/dask_check.py): a
# real scheduler and two worker processes on 127.0.0.1, a JSONL corpus
# partitioned with dask.bag, converted through `quire --stream` and
# through the Python module, each equal to one single-process run.  Skips
# (77) without Debian's python3-distributed.  In a sanitizer build the
# module's path is left out: python3 cannot load a libquire built with a
# sanitizer runtime that python itself lacks.
set(dask_check_args)
if(QUIRE_SANITIZE OR QUIRE_TSAN)
  set(dask_check_args --no-module)
endif()
add_test(NAME test_dask
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/dask_check.py
                 $<TARGET_FILE:quire-cli> ${PROJECT_SOURCE_DIR}
                 ${PROJECT_BINARY_DIR}/python ${dask_check_args})
set_tests_properties(test_dask PROPERTIES
                     SKIP_RETURN_CODE 77 TIMEOUT 600 LABELS dask)
