import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'agentcrm-serve-'))
const env = {
  ...process.env,
  AGENTCRM_DATABASE_URL: join(dir, 'db.sqlite'),
  AGENTCRM_DATA_DIR: join(dir, 'data'),
}
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

describe('agentcrm serve through a real port', () => {
  it('creates and prints the first admin once (0600 file), answers on the port, and keeps the login on restart', async () => {
    const port = await freePort()
    const child = spawn(process.execPath, ['bin/agentcrm.mjs', 'serve', '--port', String(port)], { env })
    let stdout = ''
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        if (stdout.includes('is running at')) resolve()
      })
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)))
    })
    try {
      const file = join(dir, 'data', 'initial-admin.txt')
      expect(statSync(file).mode & 0o777).toBe(0o600)
      const password = /password: (\S+)/.exec(readFileSync(file, 'utf8'))?.[1]
      expect(password).toBeTruthy()
      expect(stdout).toContain(password)
      const health = await fetch(`http://127.0.0.1:${port}/healthz`)
      expect(health.status).toBe(200)
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@agentcrm.local', password }),
      })
      expect(login.status).toBe(200)
      expect(login.headers.get('set-cookie')).toMatch(/agentcrm_session=.*HttpOnly.*SameSite=Strict/i)

      // The port is taken now: a second server says so clearly and exits 1.
      const second = spawnSync(process.execPath, ['bin/agentcrm.mjs', 'serve', '--port', String(port)], {
        env,
        encoding: 'utf8',
      })
      expect(second.status).toBe(1)
      expect(second.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+ \(already in use\)/)
      expect(second.stdout).not.toContain('First start')
    } finally {
      child.kill('SIGTERM')
    }
  }, 60_000)
})
