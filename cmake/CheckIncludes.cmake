# ctest's layout_includes: the layering holds only while every engine and window source includes
# headers by name (found through the include folders of the libraries it links). A path such as
# "../ledger/Ledger.h" would walk around it; so would a source left at the top of app/ or ui/.
#   cmake -DROOT=<source dir> -P cmake/CheckIncludes.cmake
file(GLOB loose ${ROOT}/app/*.cpp ${ROOT}/app/*.h ${ROOT}/ui/*.cpp ${ROOT}/ui/*.h)
set(problems "")
foreach(f IN LISTS loose)
    string(APPEND problems "\n  ${f}: a source outside any subsystem folder")
endforeach()
file(GLOB_RECURSE sources ${ROOT}/app/*.cpp ${ROOT}/app/*.h ${ROOT}/ui/*.cpp ${ROOT}/ui/*.h)
foreach(f IN LISTS sources)
    file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"[^\"]*[/\\\\][^\"]*\"")
    foreach(line IN LISTS lines)
        string(APPEND problems "\n  ${f}: ${line}")
    endforeach()
endforeach()
if(problems)
    message(FATAL_ERROR "Include headers by name, from a subsystem the library may use (docs/architecture.md):${problems}")
endif()
list(LENGTH sources n)
message(STATUS "${n} sources include by name only")
