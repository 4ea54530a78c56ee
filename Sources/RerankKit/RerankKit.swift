// The front ends' one import: the pure core, the providers, the store and the spawner. Each
// lives in its own target so that what needs no network or database (the core, WorkbenchUI)
// cannot reach either; this module only puts them back together for the executables and tests.
@_exported import RerankCore
@_exported import RerankProcess
@_exported import RerankProviders
@_exported import RerankStore
