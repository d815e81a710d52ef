/**
 * Import boundaries (DESIGN.md): domain folders import core and each other downward and never an adapter;
 * adapters may import domain types; only app.ts (and server/cli through app) knows both.
 */
const domain = '^src/(crm|nlp|ml|knowledge|agent|actions|workflow)/'
const adapters = '^src/(store|queue|channels|llm)/'
module.exports = {
  forbidden: [
    {
      name: 'domain-not-to-adapters',
      severity: 'error',
      comment: 'domain code declares ports; adapters implement them',
      from: { path: domain },
      to: { path: adapters },
    },
    {
      name: 'no-app-or-entry-from-lower-layers',
      severity: 'error',
      from: { path: '^src/(core|crm|nlp|ml|knowledge|agent|actions|workflow|store|queue|channels|llm)/' },
      to: { path: '^src/(app\\.ts|server/|cli/)' },
    },
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'nlp-below-knowledge-agent',
      severity: 'error',
      from: { path: '^src/nlp/' },
      to: { path: '^src/(knowledge|agent|actions|workflow)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
}
