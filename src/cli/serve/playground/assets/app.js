// The mapping playground: plain browser JavaScript, no build step. It talks only to the serve process that
// served it (GET /playground/setup, POST /playground/run, POST /playground/audience, POST /playground/reset).
;(function () {
  'use strict'

  const DELETION = '@delete'
  const SAMPLE_LABELS = {
    identify: 'Identify',
    track: 'Track',
    page: 'Page',
    screen: 'Screen',
    group: 'Group',
    delete: 'Delete',
    'audience entered': 'Audience Entered',
    'audience exited': 'Audience Exited'
  }

  const state = { setup: null, selected: null, sample: null, audienceId: null }
  const $ = (id) => document.getElementById(id)

  /** Creates an element: h('p', { class: 'note', text: 'Hello' }, child, ...). Text is never parsed as HTML. */
  function h(tag, props, ...children) {
    const node = document.createElement(tag)
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue
      if (key === 'class') node.className = value
      else if (key === 'text') node.textContent = value
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value)
      else node.setAttribute(key, value === true ? '' : String(value))
    }
    for (const child of children.flat()) {
      if (child !== undefined && child !== null && child !== false) node.append(child)
    }
    return node
  }

  const pretty = (value) => JSON.stringify(value, null, 2)
  const compact = (value, limit = 160) => {
    const text = JSON.stringify(value) ?? String(value)
    return text.length > limit ? `${text.slice(0, limit)}…` : text
  }

  // ---- The mapping of one field, as text in its editor ------------------------------------------------------

  /** The editor text of a mapping value: JSON (a plain string shows in quotes), on one line when it is short. */
  function mappingText(value) {
    if (value === undefined) return ''
    const line = JSON.stringify(value)
    return line.length <= 60 ? line : pretty(value)
  }

  /** Reads an editor: {empty} when blank, {value} when valid, {error} otherwise. Plain words count as text. */
  function readMapping(text) {
    const trimmed = text.trim()
    if (trimmed === '') return { empty: true }
    try {
      return { value: JSON.parse(trimmed) }
    } catch (error) {
      if (/^[[{"]/.test(trimmed)) return { error: `This mapping is not valid JSON: ${error.message}` }
      return { value: trimmed }
    }
  }

  // ---- Actions, fields and presets --------------------------------------------------------------------------

  const currentAction = () => state.setup.actions.find((action) => action.key === state.selected)

  function renderActionList() {
    const buttons = state.setup.actions.map((action) =>
      h('button', { type: 'button', 'data-action': action.key, onclick: () => selectAction(action.key) }, action.title)
    )
    if (state.setup.deletion) {
      buttons.push(
        h(
          'button',
          { type: 'button', class: 'deletion', 'data-action': DELETION, onclick: () => selectAction(DELETION) },
          state.setup.deletion.title
        )
      )
    }
    $('action-list').replaceChildren(...buttons)
  }

  function selectAction(key) {
    state.selected = key
    for (const button of $('action-list').querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.action === key))
    }
    if (key === DELETION) {
      $('action-description').textContent = state.setup.deletion.description
      $('presets').replaceChildren()
      $('audience').hidden = true
      $('fields').replaceChildren(
        h('p', { class: 'note', text: 'A deletion has no mapping. Run it on the Delete sample event.' })
      )
      if (state.sample !== 'delete') loadSample('delete')
      return
    }
    const action = currentAction()
    $('action-description').textContent = action.description
    renderAudience(action)
    renderPresets(action)
    renderFields(action)
    applyMapping(defaultMapping(action))
    loadSample(action.callType || 'track', action.eventName)
  }

  function defaultMapping(action) {
    const mapping = {}
    for (const field of action.fields) if (field.default !== undefined) mapping[field.key] = field.default
    return mapping
  }

  function renderPresets(action) {
    const defaults = h('button', {
      type: 'button',
      text: 'Field defaults',
      title: 'Map every field to its default.',
      onclick: () => applyMapping(defaultMapping(action))
    })
    const presets = action.presets.map((preset) =>
      h('button', {
        type: 'button',
        'data-preset': preset.name,
        text: `Preset: ${preset.name}`,
        title: 'Use this preset’s mapping and load the matching sample event.',
        onclick: () => {
          applyMapping(preset.mapping)
          if (preset.callType) loadSample(preset.callType, preset.eventName)
        }
      })
    )
    $('presets').replaceChildren(h('span', { class: 'label', text: 'Start from:' }), defaults, ...presets)
  }

  // ---- Connecting an audience (createAudience), for actions that read its segment ID --------------------------

  function renderAudience(action) {
    const panel = $('audience')
    panel.hidden = !(state.setup.audience && action.readsAudienceId)
    if (panel.hidden) return
    const input = (id, label, description, value) =>
      h(
        'div',
        { class: 'setting' },
        h('label', { for: id, text: label }),
        h('input', { id, type: 'text', spellcheck: 'false', value }),
        h('p', { class: 'description', text: description })
      )
    panel.replaceChildren(
      h('h3', { text: 'Audience' }),
      h('p', {
        class: 'description',
        text: 'Connect an audience as Engage does: the destination creates its Appcues segment (or reuses one with the same name), and the audience samples then carry the segment’s ID, so that running them adds or removes the user.'
      }),
      input('audience-name', 'Audience name', 'The name of the audience in Segment.', 'Trial users who invited'),
      ...state.setup.audience.fields.map((field) =>
        input(`audience-setting-${field.key}`, field.label, field.description, '')
      ),
      h('button', { type: 'button', id: 'connect-audience', text: 'Connect audience', onclick: connectAudience }),
      h('p', { id: 'audience-status', class: 'note', role: 'status', text: audienceNote() })
    )
  }

  const audienceNote = () =>
    state.audienceId
      ? `Connected: Appcues segment ${state.audienceId}. The audience samples carry its ID.`
      : 'Not connected: the audience samples carry no segment ID, so the segment is found (or created) by name.'

  async function connectAudience() {
    const audienceSettings = {}
    for (const field of state.setup.audience.fields) {
      const value = $(`audience-setting-${field.key}`).value.trim()
      if (value) audienceSettings[field.key] = value
    }
    const body = { audienceName: $('audience-name').value, audienceSettings, settings: collectSettings() }
    $('connect-audience').disabled = true
    try {
      const response = await fetch('/playground/audience', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      })
      const answer = await response.json()
      if (!response.ok) throw new Error(answer.error || `the server answered ${response.status}`)
      $('exchanges').replaceChildren(...answer.exchanges.map(exchangeCard))
      if (!answer.ok) {
        showStatus('error', `The audience was not connected: ${answer.error.message}`)
        return
      }
      state.audienceId = answer.externalId
      document.body.dataset.audience = answer.externalId
      showStatus('ok', `Audience connected: Appcues segment ${answer.externalId}. Run an audience sample to change it.`)
      $('audience-status').textContent = audienceNote()
      if (state.sample && state.setup.samples[state.sample].context?.personas) loadSample(state.sample)
    } catch (error) {
      showStatus('error', `The audience was not connected: ${error.message}`)
    } finally {
      $('connect-audience').disabled = false
    }
  }

  function constraintNotes(field) {
    const notes = []
    if (field.requiredWhen) notes.push(`Required when ${field.requiredWhen}.`)
    if (field.shownWhen) notes.push(`Segment shows this field only when ${field.shownWhen}.`)
    if (field.choices) notes.push(`One of: ${field.choices.map((choice) => String(choice.value)).join(', ')}.`)
    if (field.type === 'string' && field.maximum !== undefined) notes.push(`At most ${field.maximum} characters.`)
    if (field.type === 'number' && field.minimum !== undefined) notes.push(`At least ${field.minimum}.`)
    if (field.type === 'number' && field.maximum !== undefined) notes.push(`At most ${field.maximum}.`)
    if (field.hidden) notes.push('Hidden in Segment’s mapping editor; it keeps its default there.')
    return notes
  }

  function renderFields(action) {
    const cards = action.fields.map((field) => {
      const editorId = `map-${field.key}`
      const editor = h('textarea', {
        id: editorId,
        class: 'code mapping',
        spellcheck: 'false',
        rows: 1,
        'data-field': field.key,
        placeholder: 'Not mapped',
        'aria-describedby': `field-error-${field.key}`,
        oninput: () => fitRows(editor)
      })
      return h(
        'div',
        { class: 'field', id: `field-${field.key}` },
        h(
          'div',
          { class: 'field-head' },
          h('label', { for: editorId, text: field.label }),
          field.required ? h('span', { class: 'badge required', text: 'Required' }) : null,
          h('span', { class: 'badge', text: field.multiple ? `${field.type} list` : field.type }),
          h('code', { class: 'key', text: field.key })
        ),
        h('p', { class: 'description', text: field.description }),
        constraintNotes(field).map((note) => h('p', { class: 'constraint', text: note })),
        editor,
        h(
          'p',
          { class: 'default' },
          'Default mapping: ',
          field.default === undefined ? 'none' : h('code', { text: compact(field.default, 200) })
        ),
        h('p', { class: 'error', id: `field-error-${field.key}`, role: 'alert', hidden: true }),
        h('p', { class: 'mapped', id: `field-value-${field.key}`, hidden: true })
      )
    })
    $('fields').replaceChildren(...cards)
  }

  function fitRows(editor) {
    editor.rows = Math.min(12, Math.max(1, editor.value.split('\n').length))
  }

  function applyMapping(mapping) {
    for (const editor of $('fields').querySelectorAll('textarea[data-field]')) {
      editor.value = mappingText(mapping[editor.dataset.field])
      fitRows(editor)
    }
    clearResultMarks()
  }

  /** The mapping in the editors, plus the editors whose text is not a valid mapping. */
  function collectMapping() {
    const mapping = {}
    const errors = {}
    for (const editor of $('fields').querySelectorAll('textarea[data-field]')) {
      const read = readMapping(editor.value)
      if (read.error) errors[editor.dataset.field] = read.error
      else if (!read.empty) mapping[editor.dataset.field] = read.value
    }
    return { mapping, errors }
  }

  // ---- Sample events ----------------------------------------------------------------------------------------

  function renderSamples() {
    const buttons = Object.keys(state.setup.samples).map((type) =>
      h('button', {
        type: 'button',
        'data-sample': type,
        text: SAMPLE_LABELS[type] || type,
        title: `Load a sample ${type} event.`,
        onclick: () => {
          loadSample(type)
          if (type === 'delete' && state.setup.deletion && state.selected !== DELETION) selectAction(DELETION)
        }
      })
    )
    $('samples').replaceChildren(h('span', { class: 'label', text: 'Sample:' }), ...buttons)
  }

  function loadSample(type, eventName) {
    const sample = JSON.parse(JSON.stringify(state.setup.samples[type]))
    if (eventName && type === 'track') sample.event = eventName
    if (state.audienceId && sample.context?.personas) sample.context.personas.external_audience_id = state.audienceId
    state.sample = type
    $('event-editor').value = pretty(sample)
    $('event-error').hidden = true
    for (const button of $('samples').querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.sample === type))
    }
  }

  function readEvent() {
    try {
      const event = JSON.parse($('event-editor').value)
      if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new Error('it must be an object')
      $('event-error').hidden = true
      return event
    } catch (error) {
      $('event-error').textContent = `The event is not a valid JSON object: ${error.message}`
      $('event-error').hidden = false
      return null
    }
  }

  // ---- Settings ---------------------------------------------------------------------------------------------

  function renderSettings() {
    const rows = state.setup.settings.map((setting) => {
      const id = `setting-${setting.key}`
      let input
      if (setting.choices) {
        input = h(
          'select',
          { id, 'data-setting': setting.key },
          setting.choices.map((choice) => h('option', { value: choice.value, text: choice.label }))
        )
      } else {
        const type = setting.secret ? 'password' : setting.type === 'number' ? 'number' : 'text'
        input = h('input', {
          id,
          type,
          'data-setting': setting.key,
          autocomplete: setting.secret ? 'new-password' : 'off',
          spellcheck: 'false',
          placeholder: setting.placeholder
        })
      }
      if (setting.value !== undefined) input.value = String(setting.value)
      input.addEventListener('input', describeTarget)
      return h(
        'div',
        { class: 'setting' },
        h(
          'div',
          { class: 'field-head' },
          h('label', { for: id, text: setting.label }),
          setting.required ? h('span', { class: 'badge required', text: 'Required' }) : null,
          setting.secret ? h('span', { class: 'badge', text: 'secret' }) : null
        ),
        input,
        h('p', { class: 'description', text: setting.description }),
        h('p', { class: 'error', id: `setting-error-${setting.key}`, role: 'alert', hidden: true })
      )
    })
    $('settings-form').replaceChildren(...rows)
    $('settings-form').addEventListener('submit', (event) => event.preventDefault())
  }

  /** The form's values; numbers as numbers, empty inputs left out (the server fills the simulator's credentials). */
  function collectSettings() {
    const settings = {}
    for (const input of $('settings-form').querySelectorAll('[data-setting]')) {
      const value = input.value.trim()
      if (value === '') continue
      settings[input.dataset.setting] = input.type === 'number' && !Number.isNaN(Number(value)) ? Number(value) : value
    }
    return settings
  }

  function describeTarget() {
    const simulator = state.setup.simulator
    const note = $('target-note')
    if (simulator) {
      note.className = 'note'
      note.replaceChildren(
        h('p', {
          text: `Requests go to the Appcues simulator on this machine (${simulator.url}): serve routes Appcues' addresses there. Leave the key fields empty to use its made-up credentials. To send to Appcues itself, restart serve with --no-simulator.`
        })
      )
    } else {
      const region = ($('setting-region') || {}).value || 'US'
      note.className = 'note warning'
      note.replaceChildren(
        h('p', {
          text: `Requests go to Appcues (${region}) with the keys you enter, and change real data. Restart serve without --no-simulator to try mappings on a simulator instead.`
        })
      )
    }
  }

  // ---- Running and showing the result ---------------------------------------------------------------------

  function clearResultMarks() {
    for (const node of document.querySelectorAll('.error[id^="field-error-"], .error[id^="setting-error-"]')) {
      node.hidden = true
      node.textContent = ''
    }
    for (const node of document.querySelectorAll('.mapped')) node.hidden = true
    for (const node of document.querySelectorAll('.invalid')) node.classList.remove('invalid')
  }

  function markError(kind, key, message) {
    const node = $(`${kind}-error-${key}`)
    if (!node) return false
    node.textContent = message
    node.hidden = false
    node.closest('.field, .setting').classList.add('invalid')
    return true
  }

  async function run() {
    const event = readEvent()
    const { mapping, errors } = collectMapping()
    clearResultMarks()
    for (const [key, message] of Object.entries(errors)) markError('field', key, message)
    if (!event || Object.keys(errors).length > 0) {
      showStatus('error', 'Nothing was sent. Fix the problems shown in red first.')
      countRun()
      return
    }
    const body =
      state.selected === DELETION
        ? { kind: 'delete', event, settings: collectSettings() }
        : { kind: 'action', action: state.selected, event, mapping, settings: collectSettings() }
    $('run').disabled = true
    showStatus('busy', 'Running…')
    try {
      const response = await fetch('/playground/run', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      })
      const answer = await response.json()
      if (!response.ok) showStatus('error', answer.error || `The server answered ${response.status}.`)
      else showResult(answer)
    } catch (error) {
      showStatus('error', `The serve process did not answer: ${error.message}. Is it still running?`)
    } finally {
      $('run').disabled = false
      countRun()
    }
  }

  /** Counts finished runs on the body element (data-runs), so that scripts driving the page can wait for one. */
  function countRun() {
    document.body.dataset.runs = String(Number(document.body.dataset.runs || 0) + 1)
  }

  function showStatus(kind, message) {
    $('status').className = `status ${kind}`
    $('status').textContent = message
  }

  function showResult(result) {
    const requests = result.exchanges.length
    const sent = `${requests} request${requests === 1 ? '' : 's'} sent`
    if (result.ok) showStatus('ok', `Done: ${sent}, all answered successfully.`)
    else showStatus('error', `${result.error ? result.error.message : 'The run failed.'} (${sent}.)`)

    const unplaced = []
    for (const [key, message] of Object.entries(result.fieldErrors)) {
      if (!markError('field', key, message)) unplaced.push(message)
    }
    for (const [key, message] of Object.entries(result.settingsErrors)) {
      if (!markError('setting', key, message)) unplaced.push(message)
    }
    if (unplaced.length > 0) $('status').append(h('br'), unplaced.join(' '))

    showPayload(result)
    $('exchanges').replaceChildren(
      ...(requests > 0 ? result.exchanges.map(exchangeCard) : [h('p', { class: 'description', text: 'None.' })])
    )
    showHoldings(result)
    // Bring the first problem into view, or else the result (below the editors on a narrow window).
    const firstProblem = document.querySelector('.invalid')
    if (firstProblem) firstProblem.scrollIntoView({ block: 'center' })
    else if (window.matchMedia('(max-width: 700px)').matches) $('result-title').scrollIntoView({ block: 'start' })
  }

  function showPayload(result) {
    if (result.payload === null) {
      $('payload-note').textContent =
        'A deletion has no mapping: the destination receives the User ID and Anonymous ID.'
      $('payload').textContent = '–'
      return
    }
    $('payload-note').textContent = result.payloadValidated
      ? 'The payload the action received after mapping and validation.'
      : 'What the mapping produced. It did not reach the action: see the problems beside the fields.'
    $('payload').textContent = pretty(result.payload)
    for (const [key, value] of Object.entries(result.payload)) {
      const node = $(`field-value-${key}`)
      if (!node) continue
      node.textContent = `Mapped value: ${compact(value)}`
      node.hidden = false
    }
  }

  function bodyText(body) {
    if (body === undefined || body === null || body === '') return '(empty)'
    if (typeof body !== 'string') return pretty(body)
    try {
      return pretty(JSON.parse(body))
    } catch (error) {
      return body
    }
  }

  /** The URL as text with a line-break opportunity after each / ? & and =, so that it wraps between its parts. */
  function urlWithBreaks(url) {
    return url.split(/(?<=[/?&=])/).flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part]))
  }

  function exchangeCard(exchange) {
    const { request, response } = exchange
    const ok = response.statusCode >= 200 && response.statusCode < 300
    return h(
      'article',
      { class: 'exchange' },
      h(
        'div',
        { class: 'exchange-head' },
        h('span', { class: 'method', text: request.method }),
        h('span', { class: 'url', title: request.url }, urlWithBreaks(request.url)),
        h('span', {
          class: `http-status ${ok ? 'ok' : 'failed'}`,
          text: `${response.statusCode} ${response.statusMessage || ''}`.trim()
        })
      ),
      h(
        'details',
        { open: true },
        h('summary', { text: 'Request body' }),
        h('pre', { class: 'code', text: bodyText(request.body) })
      ),
      h(
        'details',
        {},
        h('summary', { text: 'Request headers' }),
        h('pre', { class: 'code', text: pretty(request.headers) })
      ),
      h(
        'details',
        { open: !ok },
        h('summary', { text: 'Response body' }),
        h('pre', { class: 'code', text: bodyText(response.body) })
      ),
      h(
        'details',
        {},
        h('summary', { text: 'Response headers' }),
        h('pre', { class: 'code', text: pretty(response.headers) })
      )
    )
  }

  function attributeTable(attributes) {
    const entries = Object.entries(attributes || {})
    if (entries.length === 0) return h('p', { class: 'description', text: 'No attributes.' })
    return h(
      'table',
      { class: 'attributes' },
      h(
        'tbody',
        {},
        entries.map(([key, value]) => h('tr', {}, h('th', { text: key }), h('td', { text: compact(value) })))
      )
    )
  }

  /** "2 events and 1 profile update", from counts by noun; nothing for zero counts. */
  function counted(counts) {
    const parts = counts
      .filter(([count]) => count > 0)
      .map(([count, noun]) => `${count} ${noun}${count === 1 ? '' : 's'}`)
    return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
  }

  /** The whole profile as Appcues now holds it, folded away: it includes what earlier runs sent. */
  function wholeProfile(attributes, what) {
    return (
      attributes &&
      h(
        'details',
        { class: 'whole-profile' },
        h('summary', { text: `The ${what} as Appcues now holds it, with earlier runs` }),
        attributeTable(attributes)
      )
    )
  }

  function userCard(user) {
    const facts = []
    if (user.groups.length > 0) facts.push(`Member of: ${user.groups.join(', ')}.`)
    if (user.segments.length > 0) facts.push(`In the Appcues segments: ${user.segments.join(', ')}.`)
    if (user.erasureRequests > 0) facts.push(`Erasure requested ${user.erasureRequests} time(s).`)
    if (user.segmentMessages > 0) facts.push(`${user.segmentMessages} Segment message(s) received through Send.`)
    const earlier = counted([
      [user.earlier.events, 'event'],
      [user.earlier.profileUpdates, 'profile update'],
      [user.earlier.erasureRequests, 'erasure request'],
      [user.earlier.segmentMessages, 'Segment message']
    ])
    return h(
      'article',
      { class: 'holding', 'data-user': user.userId },
      h('h4', { text: `User ${user.userId}` }),
      user.changes
        ? [h('p', { text: 'This run set these profile attributes:' }), attributeTable(user.changes)]
        : h('p', { class: 'description', text: 'This run did not change the profile.' }),
      user.eventCount > 0 &&
        h('p', {
          text: `This run recorded ${user.eventCount} event(s)${user.eventCount > 1 ? ', the latest first' : ''}:`
        }),
      user.recentEvents.length > 0 &&
        h(
          'ul',
          { class: 'events' },
          user.recentEvents.map((event) =>
            h(
              'li',
              {},
              h('strong', { text: event.name }),
              ` at ${event.timestamp} `,
              h('code', { text: compact(event.attributes) })
            )
          )
        ),
      facts.map((fact) => h('p', { text: fact })),
      earlier && h('p', { class: 'description earlier', text: `Not shown: ${earlier} from earlier runs.` }),
      wholeProfile(user.profile, 'profile')
    )
  }

  function groupCard(group) {
    return h(
      'article',
      { class: 'holding', 'data-group': group.groupId },
      h('h4', { text: `Group ${group.groupId}` }),
      group.changes
        ? [h('p', { text: 'This run set these group attributes:' }), attributeTable(group.changes)]
        : h('p', { class: 'description', text: 'This run did not change the group profile.' }),
      h('p', { text: group.members.length > 0 ? `Members: ${group.members.join(', ')}.` : 'No members yet.' }),
      group.earlierUpdates > 0 &&
        h('p', {
          class: 'description earlier',
          text: `Not shown: ${counted([[group.earlierUpdates, 'group profile update']])} from earlier runs.`
        }),
      wholeProfile(group.attributes, 'group profile')
    )
  }

  /** Offered when earlier runs left records for the users or groups of this run. */
  function earlierRunsNote(holdings) {
    const earlier =
      holdings.users.some((user) => Object.values(user.earlier).some((count) => count > 0)) ||
      holdings.groups.some((group) => group.earlierUpdates > 0)
    return (
      earlier &&
      h(
        'div',
        { class: 'note', id: 'earlier-runs' },
        h('p', {
          text: 'Shown: what this run did. The simulator also keeps what earlier runs sent (until serve stops), which the profiles below include.'
        }),
        h('button', { type: 'button', onclick: resetSimulator, text: 'Clear the simulator and start from nothing' })
      )
    )
  }

  function showHoldings(result) {
    const holdings = result.holdings
    if (!holdings) {
      $('holdings').replaceChildren(
        h('p', {
          class: 'description',
          text:
            result.target.kind === 'simulator'
              ? `This run went to the simulator at ${result.target.where}, which runs in another process: read what it holds at ${result.target.where}/_simulator/state.`
              : `This run went to ${result.target.where}, not to a simulator, so there is nothing to show here.`
        })
      )
      return
    }
    const dropped =
      holdings.dropped.length > 0 &&
      h(
        'div',
        { class: 'note warning' },
        h('p', { text: 'Real Appcues would silently ignore these values of this run:' }),
        h(
          'ul',
          {},
          holdings.dropped.map((item) => h('li', { text: `${item.subject}, "${item.key}": ${item.reason}` }))
        )
      )
    $('holdings').replaceChildren(
      earlierRunsNote(holdings) || '',
      ...holdings.users.map(userCard),
      ...holdings.groups.map(groupCard),
      dropped || '',
      h(
        'details',
        {},
        h('summary', { text: 'The whole simulated account' }),
        h('pre', { class: 'code', text: holdings.summary.join('\n') })
      )
    )
  }

  async function resetSimulator() {
    const response = await fetch('/playground/reset', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}'
    })
    const answer = await response.json()
    if (response.ok) {
      showStatus('ok', 'The simulator is empty again.')
      $('holdings').replaceChildren(h('p', { class: 'description', text: 'Nothing yet.' }))
    } else {
      showStatus('error', answer.error)
    }
  }

  // ---- Start ------------------------------------------------------------------------------------------------

  async function start() {
    try {
      const response = await fetch('/playground/setup')
      state.setup = await response.json()
      if (!response.ok) throw new Error(state.setup.error || `the server answered ${response.status}`)
    } catch (error) {
      showStatus('error', `The playground could not load: ${error.message}`)
      return
    }
    $('destination-name').textContent = state.setup.name
    document.title = `Mapping playground · ${state.setup.name}`
    renderActionList()
    renderSamples()
    renderSettings()
    describeTarget()
    if (state.setup.actions.length > 0) selectAction(state.setup.actions[0].key)
    $('run').disabled = false
    $('run').addEventListener('click', run)
    $('reset-simulator').addEventListener('click', resetSimulator)
    $('reset-simulator').hidden = !(state.setup.simulator && state.setup.simulator.holdings)
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !$('run').disabled) run()
    })
    document.body.dataset.ready = 'true'
  }

  start()
})()
