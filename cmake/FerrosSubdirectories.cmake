# ferros_add_subdirectories(): adds every immediate subdirectory that has a CMakeLists.txt, in
# sorted order, so that a new driver, benchmark or fuzz target needs no edit of a shared file.
function(ferros_add_subdirectories)
    file(GLOB children LIST_DIRECTORIES true "${CMAKE_CURRENT_SOURCE_DIR}/*")
    list(SORT children)
    foreach(child ${children})
        if(IS_DIRECTORY "${child}" AND EXISTS "${child}/CMakeLists.txt")
            add_subdirectory("${child}")
        endif()
    endforeach()
endfunction()
