/* global document, atob, Blob, DecompressionStream, Response */
// migrate-plan report: the server table (search, sort, pages) and the per-application dependency
// pictures. Plain JavaScript, no libraries, no network. Data comes from the JSON blocks in the
// page and reaches the page only through textContent and setAttribute: never as markup.
;(function () {
  'use strict'
  var SVG = 'http://www.w3.org/2000/svg'

  function readJson(id) {
    var el = document.getElementById(id)
    return el ? JSON.parse(el.textContent) : null
  }
  // en-US number formatting by hand: Intl's first call costs Chromium a few hundred milliseconds.
  function group(n) {
    var s = String(Math.abs(n))
    var out = ''
    while (s.length > 3) {
      out = ',' + s.slice(-3) + out
      s = s.slice(0, -3)
    }
    return (n < 0 ? '-' : '') + s + out
  }
  function decimals(v, digits, fixed) {
    var f = Math.pow(10, digits)
    var r = Math.round(Math.abs(v) * f)
    var whole = Math.floor(r / f)
    var frac = String(r - whole * f)
    while (frac.length < digits) frac = '0' + frac
    if (!fixed) frac = frac.replace(/0+$/, '')
    return (v < 0 && r > 0 ? '-' : '') + group(whole) + (frac ? '.' + frac : '')
  }
  function fmt(v, type) {
    if (v === null || v === undefined) return '–'
    if (type === 'money') return '$' + decimals(v, 2, true)
    if (type === 'num') return decimals(v, 1, false)
    return String(v)
  }

  // ---- server table ----------------------------------------------------------------------------
  var data = readJson('servers-data')
  var table = document.getElementById('server-table')
  if (data && table) {
    var cols = data.columns
    var rows = data.rows
    // Interned text columns: cells are indexes into data.dict[column].
    Object.keys(data.dict).forEach(function (k) {
      var values = data.dict[k]
      var c = Number(k)
      for (var i = 0; i < rows.length; i++) if (rows[i][c] !== null) rows[i][c] = values[rows[i][c]]
    })
    var tbody = table.querySelector('tbody')
    var status = document.getElementById('table-status')
    var search = document.getElementById('table-search')
    var sizeSel = document.getElementById('table-size')
    var prev = document.getElementById('table-prev')
    var next = document.getElementById('table-next')
    var pageInfo = document.getElementById('table-page')
    var headers = table.querySelectorAll('thead th')
    var hay = null
    var order = null // row indexes in the current sort order
    var view = [] // order, filtered
    var st = {query: '', col: -1, dir: 1, page: 0, size: 50}

    var buildHay = function () {
      hay = new Array(rows.length)
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i]
        var parts = []
        for (var c = 0; c < r.length; c++) if (r[c] !== null && cols[c].type === 'text') parts.push(r[c])
        hay[i] = parts.join('\u0001').toLowerCase()
      }
    }
    var sortRows = function () {
      order = new Array(rows.length)
      for (var i = 0; i < rows.length; i++) order[i] = i
      if (st.col < 0) return
      var c = st.col
      var numeric = cols[c].type !== 'text'
      var dir = st.dir
      order.sort(function (a, b) {
        var x = rows[a][c]
        var y = rows[b][c]
        if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1
        var d = numeric ? x - y : x < y ? -1 : x > y ? 1 : 0
        return d * dir || a - b
      })
    }
    var filter = function () {
      var q = st.query.trim().toLowerCase()
      if (!q) {
        view = order
        return
      }
      if (!hay) buildHay()
      view = []
      for (var i = 0; i < order.length; i++) if (hay[order[i]].indexOf(q) >= 0) view.push(order[i])
    }
    var render = function () {
      var pages = Math.max(1, Math.ceil(view.length / st.size))
      if (st.page >= pages) st.page = pages - 1
      var start = st.page * st.size
      var end = Math.min(view.length, start + st.size)
      var frag = document.createDocumentFragment()
      for (var k = start; k < end; k++) {
        var r = rows[view[k]]
        var tr = document.createElement('tr')
        for (var c = 0; c < cols.length; c++) {
          var td = document.createElement('td')
          td.textContent = fmt(r[c], cols[c].type)
          if (cols[c].type !== 'text') td.className = 'n'
          tr.appendChild(td)
        }
        frag.appendChild(tr)
      }
      tbody.textContent = ''
      tbody.appendChild(frag)
      var total = group(rows.length)
      status.textContent =
        view.length === 0
          ? 'No server matches “' + st.query + '”.'
          : 'Showing ' +
            group(start + 1) +
            '–' +
            group(end) +
            ' of ' +
            group(view.length) +
            ' servers' +
            (view.length === rows.length ? '' : ' (filtered from ' + total + ')')
      pageInfo.textContent = 'Page ' + group(st.page + 1) + ' of ' + group(pages)
      prev.disabled = st.page === 0
      next.disabled = st.page >= pages - 1
      for (var h = 0; h < headers.length; h++)
        headers[h].setAttribute('aria-sort', h === st.col ? (st.dir > 0 ? 'ascending' : 'descending') : 'none')
      table.setAttribute('data-rendered', String(end - start))
    }
    var timer = null
    search.addEventListener('input', function () {
      clearTimeout(timer)
      timer = setTimeout(function () {
        st.query = search.value
        st.page = 0
        filter()
        render()
      }, 120)
    })
    sizeSel.addEventListener('change', function () {
      st.size = Number(sizeSel.value) || 50
      st.page = 0
      render()
    })
    prev.addEventListener('click', function () {
      st.page = Math.max(0, st.page - 1)
      render()
    })
    next.addEventListener('click', function () {
      st.page++
      render()
    })
    Array.prototype.forEach.call(headers, function (th, i) {
      var b = th.querySelector('button')
      if (!b) return
      b.addEventListener('click', function () {
        if (st.col === i) st.dir = -st.dir
        else {
          st.col = i
          st.dir = 1
        }
        st.page = 0
        sortRows()
        filter()
        render()
      })
    })
    sortRows()
    filter()
    render()
    // For the benchmark: when the first page of the table was on screen.
    if (typeof performance !== 'undefined' && performance.mark) performance.mark('migrate-plan:table-rendered')
  }

  // ---- per-application dependency pictures ------------------------------------------------------
  // Their data is the larger part of the page at scale: it comes after this script, gzipped and in
  // base64, so the server table is on screen before the browser has read it, and it is unpacked
  // once the page is parsed, without holding up the load event.
  function readPackedJson(id) {
    var el = document.getElementById(id)
    if (!el) return Promise.resolve(null)
    if (typeof DecompressionStream === 'undefined') return Promise.reject(new Error('no DecompressionStream'))
    var bin = atob(el.textContent)
    var bytes = new Uint8Array(bin.length)
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))
    return new Response(stream).text().then(JSON.parse)
  }
  function pictures() {
    var holder = document.getElementById('app-picture')
    readPackedJson('apps-data').then(
      function (apps) {
        drawPictures(apps, holder)
        if (holder) holder.setAttribute('data-ready', 'true')
      },
      function () {
        if (holder) {
          holder.textContent = 'This browser cannot unpack the pictures (it lacks DecompressionStream); the rest of the report is complete.'
          holder.setAttribute('data-ready', 'false')
        }
      },
    )
  }
  function drawPictures(apps, holder) {
    if (apps && holder && apps.graphs.length > 0) {
      var list = document.getElementById('app-list')
      var appSearch = document.getElementById('app-search')
      var caption = document.getElementById('app-caption')
      var FILL = {
        member: '#e8f0f8',
        group: '#feebc8',
        shared: '#fbd38d',
        server: '#e2e8f0',
        internal: '#e9d8fd',
        internet: '#fed7d7',
        more: '#edf2f7',
      }
      var current = -1
      var mk = function (name, attrs, parent) {
        var e = document.createElementNS(SVG, name)
        for (var k in attrs) e.setAttribute(k, String(attrs[k]))
        if (parent) parent.appendChild(e)
        return e
      }
      // Same routing as the estate picture (src/report/charts.ts curve()).
      var curve = function (a, b, w, mid) {
        var y1 = a.y + mid
        var y2 = b.y + mid
        var x1, x2, c1, c2, bend
        if (b.x > a.x) {
          x1 = a.x + w
          x2 = b.x
          bend = Math.max(30, (x2 - x1) / 2)
          c1 = x1 + bend
          c2 = x2 - bend
        } else if (b.x < a.x) {
          x1 = a.x
          x2 = b.x + w
          bend = Math.max(30, (x1 - x2) / 2)
          c1 = x1 - bend
          c2 = x2 + bend
        } else {
          x1 = a.x + w
          x2 = b.x + w
          bend = 24 + Math.min(60, Math.abs(y2 - y1) / 4)
          c1 = x1 + bend
          c2 = x2 + bend
        }
        return 'M' + x1 + ',' + y1 + ' C' + c1 + ',' + y1 + ' ' + c2 + ',' + y2 + ' ' + x2 + ',' + y2
      }
      // A node is [kind, column, row, ref]: ref is a server-table row, another picture's index, or the label.
      var label = function (n) {
        var ref = n[3]
        if (typeof ref === 'string') return ref
        if (apps.kinds[n[0]] === 'group') return apps.graphs[ref].name
        return data && data.rows[ref] ? String(data.rows[ref][0]) : '?'
      }
      var clip = function (s, n) {
        return s.length > n ? s.slice(0, n - 1) + '…' : s
      }
      var draw = function (i) {
        current = i
        var g = apps.graphs[i]
        var colW = 210
        var boxW = 170
        var rowH = 28
        var w = Math.max(1, g.layers) * colW + 100
        var h = Math.max(1, g.height) * rowH + 20
        var svg = mk('svg', {xmlns: SVG, viewBox: '0 0 ' + w + ' ' + h, width: w, height: h, role: 'img', class: 'chart'})
        var t = mk('title', {}, svg)
        t.textContent = 'Dependencies of ' + g.name
        svg.setAttribute('aria-label', 'Dependencies of ' + g.name)
        var pos = function (n) {
          return {x: 10 + n[1] * colW, y: 10 + n[2] * rowH}
        }
        var maxCount = 1
        g.edges.forEach(function (e) {
          if (e[2] > maxCount) maxCount = e[2]
        })
        var defs = mk('defs', {}, svg)
        var marker = mk(
          'marker',
          {
            id: 'arrow-app',
            viewBox: '0 0 10 10',
            refX: 10,
            refY: 5,
            markerWidth: 7,
            markerHeight: 7,
            markerUnits: 'userSpaceOnUse',
            orient: 'auto',
          },
          defs,
        )
        mk('path', {d: 'M0,0 L10,5 L0,10 z', fill: '#627d98'}, marker)
        g.edges.forEach(function (e) {
          var p = mk(
            'path',
            {
              d: curve(pos(g.nodes[e[0]]), pos(g.nodes[e[1]]), boxW, 10),
              fill: 'none',
              stroke: '#829ab1',
              'stroke-width': 1 + 3 * Math.sqrt(e[2] / maxCount),
              'marker-end': 'url(#arrow-app)',
            },
            svg,
          )
          var tt = mk('title', {}, p)
          tt.textContent =
            label(g.nodes[e[0]]) + ' → ' + label(g.nodes[e[1]]) + ': ' + apps.ports[e[3]] + ' (' + group(e[2]) + ' observations)'
        })
        g.nodes.forEach(function (n) {
          var q = pos(n)
          var kind = apps.kinds[n[0]]
          var grp = mk('g', {class: 'app-node ' + kind}, svg)
          var tt = mk('title', {}, grp)
          tt.textContent = label(n) + ' (' + (kind === 'member' ? 'server of ' + g.name : kind) + ')'
          mk('rect', {x: q.x, y: q.y, width: boxW, height: 20, rx: 4, fill: FILL[kind] || '#fff', stroke: '#829ab1'}, grp)
          var tx = mk('text', {x: q.x + 6, y: q.y + 14, 'font-size': 11, fill: '#1f2933'}, grp)
          tx.textContent = clip(label(n), 26)
        })
        holder.textContent = ''
        holder.appendChild(svg)
        caption.textContent =
          g.name +
          ': ' +
          g.nodes.filter(function (n) {
            return n[0] === 0
          }).length +
          ' servers drawn' +
          (g.omitted ? ', ' + g.omitted + ' more not drawn' : '') +
          '.'
        Array.prototype.forEach.call(list.querySelectorAll('button'), function (b) {
          b.setAttribute('aria-pressed', String(Number(b.getAttribute('data-index')) === current))
        })
      }
      var showList = function () {
        var q = appSearch.value.trim().toLowerCase()
        list.textContent = ''
        var shown = 0
        for (var i = 0; i < apps.graphs.length && shown < 40; i++) {
          if (q && apps.graphs[i].name.toLowerCase().indexOf(q) < 0) continue
          var b = document.createElement('button')
          b.type = 'button'
          b.textContent = apps.graphs[i].name
          b.setAttribute('data-index', String(i))
          b.setAttribute('aria-pressed', String(i === current))
          list.appendChild(b)
          shown++
        }
      }
      list.addEventListener('click', function (ev) {
        var b = ev.target.closest ? ev.target.closest('button[data-index]') : null
        if (b) draw(Number(b.getAttribute('data-index')))
      })
      appSearch.addEventListener('input', showList)
      var estate = document.getElementById('estate-graph')
      if (estate)
        estate.addEventListener('click', function (ev) {
          var node = ev.target.closest ? ev.target.closest('[data-group]') : null
          if (!node) return
          var id = node.getAttribute('data-group')
          for (var i = 0; i < apps.graphs.length; i++)
            if (apps.graphs[i].id === id) {
              draw(i)
              holder.scrollIntoView({block: 'nearest'})
              return
            }
        })
      showList()
      draw(0)
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', pictures)
  else pictures()
})()
