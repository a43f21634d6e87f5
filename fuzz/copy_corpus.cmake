# cmake -D DESTINATION=dir -D "SEEDS=dir1|dir2" -P copy_corpus.cmake
# Replaces DESTINATION with a copy of the seed directories' files, so that every smoke run of a
# fuzzer starts from the same corpus and libFuzzer's new inputs never land in the source tree.
if(NOT DESTINATION OR NOT SEEDS)
    message(FATAL_ERROR "copy_corpus.cmake needs DESTINATION and SEEDS")
endif()
string(REPLACE "|" ";" SEEDS "${SEEDS}")
file(REMOVE_RECURSE "${DESTINATION}")
file(MAKE_DIRECTORY "${DESTINATION}")
foreach(seed_dir ${SEEDS})
    if(NOT IS_DIRECTORY "${seed_dir}")
        message(FATAL_ERROR "seed directory ${seed_dir} is missing (was the fuzzer built?)")
    endif()
    file(GLOB seeds "${seed_dir}/*")
    if(seeds)
        file(COPY ${seeds} DESTINATION "${DESTINATION}")
    endif()
endforeach()
