#!/usr/bin/env node
// Builds the console into web/dist with Vite — skipped when web/dist is newer than every source file
// (`--force` always builds). `npm start` and `npm run test:console` run this first.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const web = fileURLToPath(new URL('.', import.meta.url))
const built = join(web, 'dist', 'index.html')

function newest(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let latest = stat.mtimeMs
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)))
  return latest
}

const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json']
  .map((name) => join(web, name))
  .filter((path) => existsSync(path))
const fresh =
  !process.argv.includes('--force') &&
  existsSync(built) &&
  statSync(built).mtimeMs >= Math.max(...sources.map(newest))

if (fresh) {
  process.stderr.write('console: web/dist is up to date\n')
} else {
  const { build } = await import('vite')
  process.stderr.write('console: building web/dist …\n')
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' })
  process.stderr.write('console: built web/dist\n')
}
