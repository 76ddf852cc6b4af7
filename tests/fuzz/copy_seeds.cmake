# cmake -DSEED_DIR=... -DWORK_CORPUS_DIR=... -DARTIFACT_DIR=... -P copy_seeds.cmake
# Copies a fuzz target's seed corpus (if it has one yet) into the build tree, where libFuzzer may
# add to it, and makes the directory for crash artifacts. Files already in the copy are kept.
file(MAKE_DIRECTORY ${WORK_CORPUS_DIR} ${ARTIFACT_DIR})
if(IS_DIRECTORY ${SEED_DIR})
  file(COPY ${SEED_DIR}/ DESTINATION ${WORK_CORPUS_DIR})
endif()
