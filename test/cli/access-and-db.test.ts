import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'agentcrm-cli-'))
const env = {
  ...process.env,
  AGENTCRM_DATABASE_URL: join(dir, 'db.sqlite'),
  AGENTCRM_DATA_DIR: join(dir, 'data'),
}
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function cli(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['bin/agentcrm.mjs', ...args], { env, encoding: 'utf8', input })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

function json(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n')
  expect(lines, 'exactly one JSON document on stdout').toHaveLength(1)
  return JSON.parse(lines[0])
}

describe('agentcrm user, token, db and demo commands', () => {
  it('creates a user from stdin, refuses a duplicate, a short password and an unknown role', () => {
    const created = cli(
      ['user', 'create', '--email', 'Lead@Example.com', '--password-stdin', '--role', 'admin', '--json'],
      'a long passphrase\n',
    )
    expect(created.code, created.stderr).toBe(0)
    expect(json(created.stdout)).toMatchObject({ email: 'lead@example.com', role: 'admin', active: true })
    expect(created.stdout).not.toContain('passphrase')

    const again = cli([
      'user',
      'create',
      '--email',
      'lead@example.com',
      '--password',
      'another long one',
      '--role',
      'agent',
      '--json',
    ])
    expect(again.code).toBe(1)
    expect(json(again.stdout)).toMatchObject({ error: { code: 'AUTH_USER_EXISTS' } })

    const short = cli([
      'user',
      'create',
      '--email',
      'x@example.com',
      '--password',
      'short',
      '--role',
      'agent',
      '--json',
    ])
    expect(short.code).toBe(1)
    expect((json(short.stdout).error as { message: string }).message).toMatch(/at least 10 characters/)

    const role = cli([
      'user',
      'create',
      '--email',
      'y@example.com',
      '--password',
      'a long passphrase',
      '--role',
      'owner',
      '--json',
    ])
    expect(role.code).toBe(2)
    expect(json(role.stdout)).toMatchObject({ error: { code: 'CORE_USAGE' } })

    const both = cli(['user', 'create', '--email', 'z@example.com', '--role', 'agent'])
    expect(both.code).toBe(2)
    expect(cli(['user', 'deactivate', 'nobody@example.com', '--json']).code).toBe(1)
  })

  it('creates, lists and revokes tokens; refuses a bad duration and an unknown token id', () => {
    const created = cli([
      'token',
      'create',
      '--role',
      'integration',
      '--name',
      'shop',
      '--expires',
      '90d',
      '--json',
    ])
    expect(created.code, created.stderr).toBe(0)
    const token = json(created.stdout) as { token: string; id: string; role: string }
    expect(token.token).toMatch(/^acrm_/)
    expect(token.role).toBe('integration')
    const list = cli(['token', 'list', '--json'])
    const items = JSON.parse(list.stdout) as { id: string; revokedAt: string | null }[]
    expect(items.map((t) => t.id)).toContain(token.id)
    expect(list.stdout).not.toContain(token.token)
    expect(cli(['token', 'revoke', token.id, '--json']).code).toBe(0)
    const revoked = (
      JSON.parse(cli(['token', 'list', '--json']).stdout) as { id: string; revokedAt: string | null }[]
    ).find((t) => t.id === token.id)
    expect(revoked?.revokedAt).not.toBeNull()
    expect(cli(['token', 'create', '--role', 'agent', '--expires', 'soon', '--json']).code).toBe(2)
    expect(cli(['token', 'revoke', 'tok_missing', '--json']).code).toBe(1)
  })

  it('backs up the database once and refuses to overwrite a file', () => {
    const file = join(dir, 'backup.db')
    const first = cli(['db', 'backup', file, '--json'])
    expect(first.code, first.stderr).toBe(0)
    expect(existsSync(file)).toBe(true)
    const second = cli(['db', 'backup', file, '--json'])
    expect(second.code).toBe(1)
    expect(json(second.stdout)).toMatchObject({ error: { code: 'STORE_BACKUP_FAILED' } })
  })

  it('refuses contradictory or out-of-range demo seed options as usage errors', () => {
    expect(cli(['demo', 'seed', '--reset', '--if-empty', '--json']).code).toBe(2)
    expect(cli(['demo', 'seed', '--customers', '-5', '--json']).code).toBe(2)
    expect(cli(['demo', 'seed', '--customers', 'lots', '--json']).code).toBe(2)
  })
})
