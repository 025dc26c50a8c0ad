# SPDX-License-Identifier: MIT
# revision.cmake - run at every build (cmake -P): the source tree's git revision into
# ${OUT} (a header defining RINGSCOPE_REVISION), rewritten only when it changed so that a
# build without new commits recompiles nothing. A tree without git (a release tarball) says so.
execute_process(COMMAND git -C "${SRC}" describe --always --dirty --abbrev=12
	OUTPUT_VARIABLE rev OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR rev STREQUAL "")
	set(rev "unknown (not built from a git checkout)")
endif()
file(WRITE "${OUT}.new" "#define RINGSCOPE_REVISION \"${rev}\"\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.new" "${OUT}")
file(REMOVE "${OUT}.new")
