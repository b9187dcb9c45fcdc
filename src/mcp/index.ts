export { createMcpEndpoint, requiredScopeFor, type McpEndpointDeps } from './mcp-endpoint.js';
export { createCatalogCache, type CatalogCache } from './catalog-cache.js';
export { createVaultRegistry, type VaultRegistry } from './vaults.js';
export { TOOLS, WRITE_TOOL_NAMES } from './tools.js';
export { REAUTHENTICATE_MESSAGE } from './run-tool.js';
export { createResultWorkers, type ResultWorkers, type ResultWorkersOptions } from './result-workers.js';
