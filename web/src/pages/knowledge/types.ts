/** Shapes of the knowledge-base API (src/server/routes/knowledge.ts), as the console reads them. */
export type ArticleKind = 'article' | 'faq'
export type ArticleStatus = 'draft' | 'published'
export type ContentLanguage = 'zh' | 'en'

export interface Article {
  readonly id: string
  readonly externalId: string | null
  readonly kind: 'article'
  readonly title: string
  readonly body: string
  readonly language: ContentLanguage
  readonly status: ArticleStatus
  readonly version: number
  readonly tags: string[]
  readonly createdAt: string
  readonly updatedAt: string
}

export interface Faq {
  readonly id: string
  readonly externalId: string | null
  readonly question: string
  readonly answer: string
  readonly paraphrases: string[]
  readonly language: ContentLanguage
  readonly status: ArticleStatus
  readonly version: number
  readonly tags: string[]
  readonly createdAt: string
  readonly updatedAt: string
}

export interface ArticleVersion {
  readonly id: string
  readonly version: number
  readonly title: string
  readonly question: string | null
  readonly createdAt: string
}

export interface SearchHit {
  readonly articleId: string
  readonly externalId: string | null
  readonly kind: ArticleKind
  readonly title: string
  readonly language: ContentLanguage
  readonly heading: string | null
  readonly passage: string
  readonly score: number
  readonly strength: number
  readonly crossLingual: boolean
  readonly matchedTerms: string[]
}

export interface SearchResult {
  readonly queryLanguage: string
  readonly indexVersion: number
  readonly items: SearchHit[]
}

export interface Citation {
  readonly externalId: string | null
  readonly articleId: string
  readonly title: string
  readonly passage: string
  readonly score: number
}

/** `POST /api/v1/agent/respond`: what the agent would do (no side effects). */
export interface AgentResponse {
  readonly decision: {
    readonly action: string
    readonly confidence: number
    readonly reply: string | null
    readonly citations: Citation[]
    readonly handOffReason: string | null
    readonly rulesFired: string[]
    readonly explanation: string
  }
  readonly record?: {
    readonly perception?: {
      readonly language?: string
      readonly intent?: { readonly label: string; readonly confidence: number } | null
      readonly sentiment?: { readonly label: string; readonly confidence: number } | null
    }
  }
}
