import { describe, expect, it } from 'vitest'
import { AppError } from '../core/index.js'
import { redact, restore } from '../nlp/index.js'
import { draftReply, type DraftInput } from './draft.js'
import { createRecordingLanguageModel, type RecordedResponse } from './testing/recording-model.js'

const INPUT: DraftInput = {
  language: 'zh',
  customerName: '王小红',
  customerText: '你好，我是王小红，耳机坏了想退货，电话13812345678',
  intent: 'return_exchange',
  fallbackReply: '您好，我们已收到您的退货申请，客服会尽快联系您。',
  passages: [
    {
      index: 1,
      externalId: 'faq-return',
      articleId: 'art_1',
      title: '退货政策',
      passage: '签收后 7 天内可无理由退货，商品需保持完好。',
      score: 0.82,
    },
    {
      index: 3,
      externalId: null,
      articleId: 'art_3',
      title: '质量问题',
      passage: '质量问题 15 天内可换货，运费由我们承担。客服热线 400-820-8820。',
      score: 0.64,
    },
  ],
  facts: ['订单 LM20261024-582130 于 11月20日 签收，收件人王小红，电话13812345678'],
}

const deps = (responses: RecordedResponse[]) => {
  const model = createRecordingLanguageModel(responses, { provider: 'test', model: 'tiny' })
  return { model, redact, restore }
}

const json = (reply: string, citations: unknown = [3, 1]) => JSON.stringify({ reply, citations })

describe('draftReply', () => {
  it('drafts a grounded reply, restores placeholders and lists citations in order of use', async () => {
    const { model, ...rest } = deps([
      {
        text: json('[NAME_1]您好，质量问题15天内可换货，运费由我们承担；我们会致电[PHONE_1]。'),
        latencyMs: 42,
      },
    ])
    const outcome = await draftReply(INPUT, { model, ...rest })

    expect(outcome).toEqual({
      reply: '王小红您好，质量问题15天内可换货，运费由我们承担；我们会致电13812345678。',
      citedIndexes: [3, 1],
      llm: { used: true, provider: 'test', model: 'tiny', latencyMs: 42 },
    })
    const [{ request }] = model.calls
    expect(request.responseFormat).toBe('json')
    expect(request.messages).toEqual([
      { role: 'user', content: '你好，我是[NAME_1]，耳机坏了想退货，电话[PHONE_1]' },
    ])
    expect(request.system).toContain("Customer's name: [NAME_1]")
    expect(request.system).toContain('[1] 退货政策\n签收后 7 天内可无理由退货')
    expect(request.system).toContain('[3] 质量问题')
    expect(request.system).toContain('Simplified Chinese')
    expect(request.system).toContain('Intent of the message: return_exchange')
  })

  it('numbers placeholders once across the message, the name, the facts and the passages', async () => {
    const { model, ...rest } = deps([json('好的[NAME_1]，我们会联系[PHONE_1]和[PHONE_2]。', [1])])
    const outcome = await draftReply(
      {
        ...INPUT,
        customerText: '我写了 [PHONE_1] 这几个字，另一个号码 13912345678',
        facts: ['收件人王小红 电话13812345678', '备用电话13912345678'],
      },
      { model, ...rest },
    )
    const { request } = model.calls[0]
    // The customer's literal "[PHONE_1]" keeps its meaning, so numbering starts at 2.
    expect(request.messages[0].content).toBe('我写了 [PHONE_1] 这几个字，另一个号码 [PHONE_2]')
    expect(request.system).toContain('- 收件人[NAME_1] 电话[PHONE_3]\n- 备用电话[PHONE_2]')
    expect(outcome.reply).toBe('好的王小红，我们会联系[PHONE_1]和13912345678。')
  })

  it('redacts every known name, in every field', async () => {
    const { model, ...rest } = deps([json('Hi [NAME_1], [NAME_2] and [NAME_3]: 7 days from delivery.', [1])])
    const outcome = await draftReply(
      {
        ...INPUT,
        language: 'en',
        customerName: 'Emily Carter',
        customerText: 'Emily here (Emily Carter), my husband Zhang Wei placed it',
        facts: ['Recipient: Zhang Wei'],
        knownPersonalData: { names: ['Zhang Wei', ' ', 'Emily Carter'] },
      },
      { model, ...rest },
    )
    const sent = JSON.stringify(model.calls[0].request)
    for (const secret of ['Emily', 'Carter', 'Zhang', 'Wei']) expect(sent).not.toContain(secret)
    expect(model.calls[0].request.messages[0].content).toBe(
      '[NAME_1] here ([NAME_2]), my husband [NAME_3] placed it',
    )
    expect(model.calls[0].request.system).toContain("Customer's name: [NAME_2]")
    expect(outcome.reply).toBe('Hi Emily, Emily Carter and Zhang Wei: 7 days from delivery.')
  })

  it('tolerates a reasoning block, a Markdown fence and stray citation markers', async () => {
    const text =
      '<think>passage 3 fits</think>\n```json\n{"reply": "质量问题15天内可换货[3]。", "citations": ["3"]}\n```'
    const outcome = await draftReply(INPUT, deps([text]))
    expect(outcome.reply).toBe('质量问题15天内可换货。')
    expect(outcome.citedIndexes).toEqual([3])
  })

  it.each([
    ['DRAFT_MALFORMED_JSON', '质量问题15天内可换货'],
    ['DRAFT_MALFORMED_JSON', '{"reply": 42, "citations": [1]}'],
    ['DRAFT_EMPTY_REPLY', json('  ')],
    ['DRAFT_NO_CITATIONS', json('质量问题15天内可换货。', [])],
    ['DRAFT_NO_CITATIONS', JSON.stringify({ reply: '质量问题15天内可换货。' })],
    ['DRAFT_UNKNOWN_CITATION', json('质量问题15天内可换货。', [3, 2])],
    ['DRAFT_UNKNOWN_PLACEHOLDER', json('我们会寄到[ADDRESS_1]。')],
    ['DRAFT_UNKNOWN_PLACEHOLDER', json('我们会致电[PHONE_7]。')],
    ['DRAFT_WRONG_LANGUAGE', json('Quality issues can be exchanged within 15 days.')],
  ])('falls back with %s on a reply it must not send (%s)', async (reason, text) => {
    const outcome = await draftReply(INPUT, deps([{ text, latencyMs: 7 }]))
    expect(outcome).toEqual({
      reply: INPUT.fallbackReply,
      citedIndexes: [],
      llm: { used: false, provider: 'test', model: 'tiny', latencyMs: 7, fallbackReason: reason },
    })
  })

  it('refuses a Chinese reply to an English customer', async () => {
    const outcome = await draftReply({ ...INPUT, language: 'en' }, deps([json('质量问题15天内可换货。')]))
    expect(outcome.llm.fallbackReason).toBe('DRAFT_WRONG_LANGUAGE')
  })

  it('accepts an English reply that names a Chinese product', async () => {
    const outcome = await draftReply(
      { ...INPUT, language: 'en' },
      deps([json('Your 光屿 Air Pro earbuds can be exchanged within 15 days of delivery, free of charge.')]),
    )
    expect(outcome.llm.used).toBe(true)
  })

  it.each([
    ['LLM_TIMEOUT', new AppError('LLM_TIMEOUT', 'slow')],
    ['LLM_RATE_LIMITED', new AppError('LLM_RATE_LIMITED', '429')],
    ['LLM_CIRCUIT_OPEN', new AppError('LLM_CIRCUIT_OPEN', 'open')],
    ['LLM_FAILED', new TypeError('boom')],
    ['LLM_FAILED', new AppError('CORE_INTERNAL', 'not an llm code')],
  ])('falls back with %s when the model fails', async (reason, error) => {
    const outcome = await draftReply(INPUT, deps([error]))
    expect(outcome.reply).toBe(INPUT.fallbackReply)
    expect(outcome.llm).toEqual({ used: false, provider: 'test', model: 'tiny', fallbackReason: reason })
  })

  it('does not call the model without passages, or when the caller has already aborted', async () => {
    const withoutPassages = deps([])
    expect((await draftReply({ ...INPUT, passages: [] }, withoutPassages)).llm.fallbackReason).toBe(
      'DRAFT_NO_PASSAGES',
    )
    const aborted = deps([])
    const controller = new AbortController()
    controller.abort()
    const outcome = await draftReply(INPUT, aborted, { signal: controller.signal })
    expect(outcome.llm.fallbackReason).toBe('LLM_ABORTED')
    expect(withoutPassages.model.calls).toHaveLength(0)
    expect(aborted.model.calls).toHaveLength(0)
  })

  it('sends nothing and falls back when redaction fails', async () => {
    const { model } = deps([json('不会发出')])
    const outcome = await draftReply(INPUT, {
      model,
      redact: () => {
        throw new Error('broken redactor')
      },
      restore,
    })
    expect(outcome.llm.fallbackReason).toBe('DRAFT_INTERNAL')
    expect(model.calls).toHaveLength(0)
  })

  it('passes the signal and the sampling options to the model', async () => {
    const { model, ...rest } = deps([json('质量问题15天内可换货。')])
    const controller = new AbortController()
    await draftReply(INPUT, { model, ...rest }, { signal: controller.signal, temperature: 0, maxTokens: 100 })
    expect(model.calls[0].signal).toBe(controller.signal)
    expect(model.calls[0].request).toMatchObject({ temperature: 0, maxTokens: 100 })
  })
})
