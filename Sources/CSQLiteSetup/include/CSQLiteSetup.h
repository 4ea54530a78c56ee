#ifndef RERANKBENCH_CSQLITESETUP_H
#define RERANKBENCH_CSQLITESETUP_H

/// Turns off SQLite's process-wide memory statistics (SQLITE_CONFIG_MEMSTATUS), which take
/// one global mutex on every allocation SQLite makes: the store's readers on both cores
/// queued on it. Must run before SQLite initializes (before the first connection opens);
/// returns SQLite's result code (SQLITE_MISUSE when it already had).
///
/// `sqlite3_config` takes variable arguments, which Swift cannot call; this is its one call.
int rerankbench_sqlite_disable_memstatus(void);

#endif
