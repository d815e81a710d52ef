import { afterEach, beforeEach, expect, it } from 'vitest'
import { fixedClock } from '../../core/index.js'
import { cliActor, type Actor } from '../../crm/index.js'
import { BUILTIN_WORKFLOWS, type WorkflowDefinition } from '../../workflow/index.js'
import { describeEachDatabase, type TestDatabase } from '../../../test/support/databases.js'
import { canonicalJson, createWorkflowsRepository } from './workflows-repository.js'

const admin: Actor = { kind: 'user', id: 'usr_01JD3Z7X2N4V5B6C7D8E9F0G1H', requestId: 'req_test' }

const welcome: WorkflowDefinition = {
  key: 'vip-welcome',
  name: 'VIP welcome',
  trigger: { type: 'order.created' },
  steps: [
    {
      id: 'is-vip',
      type: 'branch',
      condition: { field: 'customer.tier', op: 'eq', value: 'vip' },
      then: 'tag-vip',
    },
    { id: 'tag-vip', type: 'action', action: 'tag', input: { target: 'customer', add: ['vip-welcomed'] } },
  ],
}

describeEachDatabase('workflows repository', (database: TestDatabase) => {
  let store: Awaited<ReturnType<TestDatabase['open']>>
  let clock: ReturnType<typeof fixedClock>
  let repository: ReturnType<typeof createWorkflowsRepository>
  beforeEach(async () => {
    store = await database.open()
    clock = fixedClock('2026-11-25T00:00:00.000Z')
    repository = createWorkflowsRepository({ store, clock, defaultRegion: 'CN' })
  })
  afterEach(async () => store?.dispose())

  it('has every built-in workflow, enabled at version 1, right after migrating a fresh database', async () => {
    const workflows = await repository.all()
    expect(workflows.map((workflow) => workflow.key)).toEqual(
      BUILTIN_WORKFLOWS.map((workflow) => workflow.key).sort(),
    )
    for (const workflow of workflows) {
      const builtin = BUILTIN_WORKFLOWS.find(
        (candidate) => candidate.key === workflow.key,
      ) as WorkflowDefinition
      expect(workflow).toMatchObject({ version: 1, enabled: true, source: 'builtin', name: builtin.name })
      expect(workflow.id).toMatch(/^wfl_[0-9A-Z]{26}$/)
      expect(workflow.trigger).toEqual(builtin.trigger)
      expect(workflow.triggerType).toBe(builtin.trigger.type)
      expect(canonicalJson(workflow.definition)).toBe(canonicalJson(builtin))
      const versions = await repository.versions(workflow.key)
      expect(versions).toHaveLength(1)
      expect(versions[0]).toMatchObject({ version: 1, workflowId: workflow.id, createdBy: null })
    }
    const installs = await store.db
      .selectFrom('audit_log')
      .select('targetId')
      .where('action', '=', 'workflow.install')
      .execute()
    expect(installs).toHaveLength(BUILTIN_WORKFLOWS.length)
    expect(
      (await repository.all({ triggerType: 'message.received', enabled: true })).map((w) => w.key),
    ).toEqual(['customer-enrichment', 'inbound-inquiry'])
  })

  it('creates a new workflow disabled at version 1, then a changed definition becomes version 2', async () => {
    const created = await repository.save(welcome, 'file', cliActor)
    expect(created.outcome).toBe('inserted')
    expect(created.workflow).toMatchObject({ key: 'vip-welcome', version: 1, enabled: false, source: 'file' })

    clock.advance(60_000)
    const changed = { ...welcome, name: 'VIP welcome (v2)', description: 'Tags new VIP orders.' }
    const updated = await repository.save(changed, 'api', admin)
    expect(updated.outcome).toBe('updated')
    expect(updated.workflow).toMatchObject({
      id: created.workflow.id,
      version: 2,
      name: 'VIP welcome (v2)',
      description: 'Tags new VIP orders.',
      source: 'api',
      updatedAt: '2026-11-25T00:01:00.000Z',
      createdAt: '2026-11-25T00:00:00.000Z',
    })
    const versions = await repository.versions(created.workflow.id)
    expect(versions.map((version) => [version.version, version.createdBy, version.definition.name])).toEqual([
      [2, admin.id, 'VIP welcome (v2)'],
      [1, null, 'VIP welcome'],
    ])
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['action', 'actorId', 'requestId'])
      .where('targetId', '=', created.workflow.id)
      .orderBy('id')
      .execute()
    expect(audit.map((entry) => entry.action)).toEqual(['workflow.create', 'workflow.update'])
    expect(audit[1]).toMatchObject({ actorId: admin.id, requestId: 'req_test' })
  })

  it('writes nothing for an unchanged definition, whatever the key order', async () => {
    await repository.save(welcome, 'file', cliActor)
    const reordered = JSON.parse(
      JSON.stringify({
        steps: welcome.steps,
        trigger: welcome.trigger,
        name: welcome.name,
        key: welcome.key,
      }),
    ) as unknown
    clock.advance(1000)
    const again = await repository.save(reordered, 'api', admin)
    expect(again.outcome).toBe('unchanged')
    expect(again.workflow).toMatchObject({
      version: 1,
      source: 'file',
      updatedAt: '2026-11-25T00:00:00.000Z',
    })
    expect(await repository.versions('vip-welcome')).toHaveLength(1)
  })

  it('refuses an invalid definition with every issue and writes nothing', async () => {
    const broken = { ...welcome, steps: [{ ...welcome.steps[0], then: 'nowhere' }, welcome.steps[1]] }
    await expect(repository.save(broken, 'api', admin)).rejects.toMatchObject({
      code: 'WORKFLOW_INVALID',
      details: {
        issues: [
          { path: 'steps[0].then', message: expect.stringContaining('no step has id "nowhere"') },
          { path: 'steps[1].id', message: expect.stringContaining('nothing leads to step "tag-vip"') },
        ],
      },
    })
    expect(await repository.find('vip-welcome')).toBeNull()
  })

  it('enables and disables by key or id, auditing only real changes', async () => {
    const { workflow } = await repository.save(welcome, 'file', cliActor)
    const enabled = await repository.setEnabled('vip-welcome', true, admin)
    expect(enabled).toMatchObject({ enabled: true, version: 1 })
    expect((await repository.setEnabled(workflow.id, true, admin)).enabled).toBe(true)
    expect((await repository.setEnabled(workflow.id, false, admin)).enabled).toBe(false)
    expect((await repository.get('vip-welcome')).enabled).toBe(false)
    const actions = await store.db
      .selectFrom('audit_log')
      .select('action')
      .where('targetId', '=', workflow.id)
      .where('action', 'in', ['workflow.enable', 'workflow.disable'])
      .orderBy('id')
      .execute()
    expect(actions.map((entry) => entry.action)).toEqual(['workflow.enable', 'workflow.disable'])

    // An update keeps the enabled state.
    await repository.setEnabled('inbound-inquiry', false, admin)
    const inbound = BUILTIN_WORKFLOWS[0]
    const edited = await repository.save({ ...inbound, name: 'Inbound inquiry (edited)' }, 'file', cliActor)
    expect(edited.workflow).toMatchObject({ version: 2, enabled: false, source: 'file' })
  })

  it('answers an unknown id or key with WORKFLOW_NOT_FOUND', async () => {
    await expect(repository.get('no-such-flow')).rejects.toMatchObject({ code: 'WORKFLOW_NOT_FOUND' })
    await expect(repository.setEnabled('wfl_missing', true, admin)).rejects.toMatchObject({
      code: 'WORKFLOW_NOT_FOUND',
    })
    await expect(repository.versions('a\u0000b')).rejects.toMatchObject({ code: 'WORKFLOW_NOT_FOUND' })
  })

  it('lists a page with filters and a cursor', async () => {
    await repository.save(welcome, 'file', cliActor)
    const first = await repository.list({ limit: 2 })
    expect(first.items.map((workflow) => workflow.key)).toEqual(['csat-survey', 'customer-enrichment'])
    const second = await repository.list({ limit: 10, cursor: first.nextCursor })
    expect(second.items.map((workflow) => workflow.key)).toEqual([
      'inbound-inquiry',
      'service-hygiene',
      'vip-welcome',
    ])
    const disabled = await repository.list({ filters: { enabled: false } })
    expect(disabled.items.map((workflow) => workflow.key)).toEqual(['vip-welcome'])
  })
})
