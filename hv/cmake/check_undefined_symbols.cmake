# Fails when LIBRARY has an undefined symbol not listed in ALLOWED. Run with cmake -P:
#   -DNM=<nm> -DLIBRARY=<archive or object> -DALLOWED=<symbol,symbol,...>
cmake_minimum_required(VERSION 3.25)
string(REPLACE "," ";" ALLOWED "${ALLOWED}")
execute_process(COMMAND ${NM} --undefined-only --format=posix ${LIBRARY}
  OUTPUT_VARIABLE nm_output RESULT_VARIABLE nm_result)
if(NOT nm_result EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${LIBRARY}")
endif()
string(REPLACE "\n" ";" lines "${nm_output}")
set(unexpected "")
foreach(line IN LISTS lines)
  # posix format: "<symbol> U", archive member headers end with ":"
  if(line MATCHES "^([^ ]+) [Uw]")
    set(symbol "${CMAKE_MATCH_1}")
    if(NOT symbol IN_LIST ALLOWED)
      list(APPEND unexpected "${symbol}")
    endif()
  endif()
endforeach()
if(unexpected)
  list(REMOVE_DUPLICATES unexpected)
  message(FATAL_ERROR "${LIBRARY} needs symbols the hypervisor does not provide: ${unexpected}")
endif()
