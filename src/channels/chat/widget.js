/*
 * AgentCRM chat widget — plain JavaScript, no dependencies, no build step. Served at /widget.js.
 *
 *   <script src="https://crm.example/widget.js" data-inbox="inb_…" async></script>
 *
 * A launcher button opens a chat panel (in a shadow root, so the shop's CSS and ours never mix). The
 * visitor's token lives in localStorage; messages go to the public widget API and replies arrive over
 * Server-Sent Events. Texts follow the page language (<html lang="zh-…"> → Chinese, otherwise English).
 */
;(function () {
  'use strict'
  var script = document.currentScript
  if (!script || window.__agentcrmWidget) return
  var inbox = script.getAttribute('data-inbox')
  if (!inbox) {
    console.warn('AgentCRM widget: add data-inbox="<chat inbox id>" to the script tag')
    return
  }
  window.__agentcrmWidget = true
  var base = new URL(script.src, location.href).origin
  var api = base + '/api/v1/widget/' + encodeURIComponent(inbox)
  var storageKey = 'agentcrm-widget:' + inbox
  var zh = /^zh/i.test(document.documentElement.lang || navigator.language || '')

  var T = zh
    ? {
        open: '打开在线客服',
        close: '关闭聊天',
        title: '在线客服',
        message: '输入消息',
        send: '发送',
        you: '我',
        ai: '智能客服',
        agent: '客服',
        system: '系统',
        about: '留下称呼和邮箱（可选）',
        name: '称呼',
        email: '邮箱',
        failed: '发送失败，请重试。',
        offline: '连接中断，正在重连…',
        tooLong: '消息太长了：最多 {n} 个字。',
        empty: '请先输入消息。',
      }
    : {
        open: 'Open chat',
        close: 'Close chat',
        title: 'Chat with us',
        message: 'Type a message',
        send: 'Send',
        you: 'You',
        ai: 'AI assistant',
        agent: 'Agent',
        system: 'System',
        about: 'Your name and email (optional)',
        name: 'Name',
        email: 'Email',
        failed: 'Could not send. Please try again.',
        offline: 'Connection lost, reconnecting…',
        tooLong: 'That message is too long: at most {n} characters.',
        empty: 'Write a message first.',
      }

  var css =
    ':host{all:initial}' +
    '*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif}' +
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;border:0;background:#2453d4;color:#fff;font-size:26px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
    '.launcher:focus-visible,button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #f5a623;outline-offset:2px}' +
    '.panel{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:min(370px,calc(100vw - 24px));height:min(540px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;color:#1b1f24;border-radius:12px;box-shadow:0 10px 32px rgba(0,0,0,.25);overflow:hidden}' +
    '.panel[hidden]{display:none}' +
    'header{display:flex;align-items:center;justify-content:space-between;padding:12px 14px;background:#2453d4;color:#fff}' +
    'h2{margin:0;font-size:16px;font-weight:600}' +
    '.x{background:transparent;border:0;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:2px 6px}' +
    '.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f7f9;margin:0;list-style:none}' +
    '.msg{max-width:85%;padding:8px 11px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word;font-size:14px;line-height:1.45}' +
    '.msg .who{display:block;font-size:11px;opacity:.7;margin-bottom:2px}' +
    '.in{align-self:flex-end;background:#2453d4;color:#fff}' +
    '.out{align-self:flex-start;background:#fff;border:1px solid #dde1e6}' +
    '.status{min-height:0;padding:0 12px;font-size:12px;color:#b42318}' +
    '.status:not(:empty){padding:6px 12px}' +
    'details{padding:6px 12px 0;font-size:13px}' +
    'details label{display:block;margin:4px 0}' +
    'details input{width:100%;padding:6px 8px;border:1px solid #c4c9d0;border-radius:6px;font-size:13px}' +
    'form{display:flex;gap:8px;padding:10px 12px 12px;border-top:1px solid #e4e7eb;align-items:flex-end}' +
    'textarea{flex:1;resize:none;height:42px;max-height:120px;padding:9px 10px;border:1px solid #c4c9d0;border-radius:8px;font-size:14px}' +
    '.send{border:0;border-radius:8px;background:#2453d4;color:#fff;padding:10px 14px;font-size:14px;cursor:pointer}' +
    '.send[disabled]{opacity:.6;cursor:default}' +
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}'

  function el(tag, attrs, text) {
    var node = document.createElement(tag)
    for (var key in attrs) node.setAttribute(key, attrs[key])
    if (text !== undefined) node.textContent = text
    return node
  }

  var host = el('div', { 'data-agentcrm-widget': '' })
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host
  if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
    var sheet = new CSSStyleSheet()
    sheet.replaceSync(css)
    root.adoptedStyleSheets = [sheet]
  } else {
    root.appendChild(el('style', {}, css))
  }

  var launcher = el('button', {
    class: 'launcher',
    type: 'button',
    'aria-label': T.open,
    'aria-expanded': 'false',
    'aria-controls': 'agentcrm-panel',
  })
  launcher.textContent = '💬'
  var panel = el('section', {
    class: 'panel',
    id: 'agentcrm-panel',
    role: 'dialog',
    'aria-labelledby': 'agentcrm-title',
  })
  panel.hidden = true
  var header = el('header')
  var title = el('h2', { id: 'agentcrm-title' }, T.title)
  var closeButton = el('button', { class: 'x', type: 'button', 'aria-label': T.close }, '×')
  header.appendChild(title)
  header.appendChild(closeButton)
  var log = el('ol', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': T.title })
  var status = el('div', { class: 'status', role: 'alert' })
  var about = el('details')
  about.appendChild(el('summary', {}, T.about))
  var nameLabel = el('label', {}, T.name)
  var nameInput = el('input', { type: 'text', autocomplete: 'name', maxlength: '200' })
  nameLabel.appendChild(nameInput)
  var emailLabel = el('label', {}, T.email)
  var emailInput = el('input', { type: 'email', autocomplete: 'email', maxlength: '254' })
  emailLabel.appendChild(emailInput)
  about.appendChild(nameLabel)
  about.appendChild(emailLabel)
  var form = el('form')
  var textLabel = el('label', { class: 'sr', for: 'agentcrm-text' }, T.message)
  var text = el('textarea', { id: 'agentcrm-text', rows: '1', placeholder: T.message })
  var send = el('button', { class: 'send', type: 'submit' }, T.send)
  form.appendChild(textLabel)
  form.appendChild(text)
  form.appendChild(send)
  panel.appendChild(header)
  panel.appendChild(log)
  panel.appendChild(status)
  panel.appendChild(about)
  panel.appendChild(form)
  root.appendChild(launcher)
  root.appendChild(panel)

  var state = { token: null, config: null, shown: {}, stream: null, started: false, greeted: false }
  try {
    var saved = JSON.parse(localStorage.getItem(storageKey) || 'null')
    if (saved && typeof saved.token === 'string') state.token = saved.token
    if (saved && typeof saved.name === 'string') nameInput.value = saved.name
    if (saved && typeof saved.email === 'string') emailInput.value = saved.email
  } catch {
    /* storage blocked: the visitor gets a new token each visit */
  }

  function save() {
    try {
      localStorage.setItem(
        storageKey,
        JSON.stringify({ token: state.token, name: nameInput.value, email: emailInput.value }),
      )
    } catch {
      /* ignore */
    }
  }

  function label(kind) {
    return kind === 'customer' ? T.you : kind === 'ai' ? T.ai : kind === 'agent' ? T.agent : T.system
  }

  function show(message) {
    if (message.id && state.shown[message.id]) return
    if (message.id) state.shown[message.id] = true
    var inbound = message.direction === 'inbound'
    var item = el('li', { class: 'msg ' + (inbound ? 'in' : 'out'), 'data-author': message.authorKind })
    if (message.id) item.setAttribute('data-id', message.id)
    item.appendChild(el('span', { class: 'who' }, label(message.authorKind)))
    item.appendChild(document.createTextNode(message.text))
    log.appendChild(item)
    log.scrollTop = log.scrollHeight
  }

  function greet() {
    if (state.greeted || !state.config) return
    state.greeted = true
    title.textContent = zh ? state.config.title.zh : state.config.title.en
    show({
      direction: 'outbound',
      authorKind: 'ai',
      text: zh ? state.config.greeting.zh : state.config.greeting.en,
    })
  }

  function request(method, path, body) {
    var headers = { accept: 'application/json' }
    if (state.token) headers['x-agentcrm-visitor'] = state.token
    if (body !== undefined) headers['content-type'] = 'application/json'
    return fetch(api + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      mode: 'cors',
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {}
        })
        .then(function (json) {
          if (!response.ok) {
            var error = new Error((json.error && json.error.message) || response.statusText)
            error.status = response.status
            error.code = json.error && json.error.code
            error.details = json.error && json.error.details
            throw error
          }
          return json
        })
    })
  }

  function newVisitor() {
    state.token = null
    return request('POST', '/visitors', {}).then(function (json) {
      state.token = json.token
      state.config = json.config
      save()
    })
  }

  function start() {
    if (state.started) return Promise.resolve()
    state.started = true
    var ready = state.token
      ? request('GET', '/conversation').then(
          function (json) {
            state.config = json.config
            greet()
            json.messages.forEach(show)
            if (json.conversationId) listen()
          },
          function (error) {
            if (error.status === 401) return newVisitor().then(greet)
            throw error
          },
        )
      : newVisitor().then(greet)
    return ready.catch(function (error) {
      state.started = false
      status.textContent = error.message || T.failed
    })
  }

  function listen() {
    if (state.stream || !state.token || typeof EventSource !== 'function') return
    var source = new EventSource(api + '/stream?token=' + encodeURIComponent(state.token))
    state.stream = source
    source.addEventListener('message', function (event) {
      try {
        show(JSON.parse(event.data))
        if (status.textContent === T.offline) status.textContent = ''
      } catch {
        /* not ours */
      }
    })
    source.onopen = function () {
      if (status.textContent === T.offline) status.textContent = ''
      // whatever was written before the stream opened (a fast reply) comes from the thread; show() skips repeats
      request('GET', '/conversation').then(
        function (json) {
          json.messages.forEach(show)
        },
        function () {},
      )
    }
    source.onerror = function () {
      // EventSource reconnects by itself (with Last-Event-ID); say so while it does
      if (source.readyState !== EventSource.OPEN) status.textContent = T.offline
    }
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID()
    var bytes = new Uint8Array(16)
    crypto.getRandomValues(bytes)
    return Array.prototype.map
      .call(bytes, function (b) {
        return ('0' + b.toString(16)).slice(-2)
      })
      .join('')
  }

  function submit(event) {
    if (event) event.preventDefault()
    var value = text.value.trim()
    if (!value) {
      status.textContent = T.empty
      return
    }
    var max = state.config ? state.config.maxMessageLength : 2000
    if (value.length > max) {
      status.textContent = T.tooLong.replace('{n}', String(max))
      return
    }
    status.textContent = ''
    send.disabled = true
    var body = { text: value, messageId: uuid() }
    if (nameInput.value.trim()) body.name = nameInput.value.trim()
    if (emailInput.value.trim()) body.email = emailInput.value.trim()
    save()
    start()
      .then(function () {
        return request('POST', '/messages', body)
      })
      .then(
        function (json) {
          text.value = ''
          show({ id: json.messageId, direction: 'inbound', authorKind: 'customer', text: value })
          listen()
        },
        function (error) {
          status.textContent = error.message || T.failed
        },
      )
      .then(function () {
        send.disabled = false
        text.focus()
      })
  }

  function open() {
    panel.hidden = false
    launcher.setAttribute('aria-expanded', 'true')
    start()
    text.focus()
  }

  function close() {
    panel.hidden = true
    launcher.setAttribute('aria-expanded', 'false')
    launcher.focus()
  }

  launcher.addEventListener('click', function () {
    if (panel.hidden) open()
    else close()
  })
  closeButton.addEventListener('click', close)
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') close()
  })
  form.addEventListener('submit', submit)
  text.addEventListener('keydown', function (event) {
    // Enter sends, Shift+Enter is a new line; never while an IME is composing (Chinese input)
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) submit(event)
  })

  function mount() {
    document.body.appendChild(host)
  }
  if (document.body) mount()
  else document.addEventListener('DOMContentLoaded', mount)
})()
