// EdgeLoop fleet dashboard: polls the fleet API with the viewer token kept in sessionStorage
// (from the login form, or from the URL fragment #token=…, which is removed from the address bar).
// Plain browser JavaScript, no build step; charts by Apache ECharts (served from its webjar).
(function () {
  'use strict';

  var REFRESH_MS = 5000;
  var TOKEN_KEY = 'edgeloop.token';
  var ACTIVE_ROLLOUT = ['SCHEDULED', 'AWAITING_APPROVAL', 'RUNNING', 'PAUSED', 'ROLLING_BACK'];
  var FAILED_STATES = ['FAILED', 'REJECTED', 'TIMED_OUT'];
  var charts = {};
  var timer = null;
  var busy = false;

  function $(sel) { return document.querySelector(sel); }

  // Builds an element; text is always set as text, never parsed as HTML.
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === null || attrs[k] === undefined) return;
      if (k === 'class') e.className = attrs[k];
      else if (k === 'text') e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  function badge(text, kind) { return el('span', { class: 'badge ' + kind, text: text }); }

  function fill(node, children) {
    while (node.firstChild) node.removeChild(node.firstChild);
    children.forEach(function (c) { if (c) node.appendChild(c); });
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function takeTokenFromFragment() {
    var m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  function ApiError(status, body) {
    this.status = status;
    this.code = body && body.code;
    this.message = (body && body.error) || ('HTTP ' + status);
  }

  function api(path) {
    return fetch('/api/v1' + path, { headers: { 'Authorization': 'Bearer ' + token(), 'Accept': 'application/json' } })
      .then(function (r) {
        return r.text().then(function (text) {
          var body = null;
          try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
          if (!r.ok) throw new ApiError(r.status, body);
          return body;
        });
      });
  }

  // A missing route (a server without that part) answers 404: that part is shown as absent.
  function optional(promise) {
    return promise.catch(function (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    });
  }

  function items(body) { return Array.isArray(body) ? body : (body && (body.items || body.rollouts || body.decisions)) || []; }

  function num(v) { return typeof v === 'number' && isFinite(v); }
  function pct(v) { return num(v) ? (v * 100).toFixed(1) + ' %' : '–'; }
  function ms(micros) { return num(micros) ? (micros / 1000).toFixed(micros < 10000 ? 2 : 1) + ' ms' : '–'; }
  function count(v) { return num(v) ? v.toLocaleString('en') : '–'; }
  function ago(iso) {
    if (!iso) return '–';
    var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return Math.round(s / 3600) + ' h ago';
    return new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
  }
  function when(iso) { return iso ? new Date(iso).toISOString().slice(0, 19).replace('T', ' ') + ' UTC' : '–'; }

  // ---- devices -------------------------------------------------------------------------------

  function renderDevices(overview, plainDevices) {
    var rows = overview ? overview.items : (plainDevices || []);
    fill($('#devices-note'), overview ? [] : [document.createTextNode(
      'This server runs without its MQTT half: no health or drift telemetry.')]);
    var body = $('#devices tbody');
    if (rows.length === 0) {
      fill(body, [el('tr', {}, [el('td', { colspan: '10', class: 'empty', text: 'No devices registered.' })])]);
      return;
    }
    fill(body, rows.map(function (d) {
      var h = d.health || {};
      var dr = d.drift || null;
      var version = d.model ? d.model + ' ' + (d.modelVersion || '') : '–';
      var presence = d.status === 'revoked' ? badge('revoked', 'off')
        : d.status === 'registered' ? badge('not enrolled', 'warn')
        : d.online ? badge('online', 'ok') : badge('offline', 'off');
      var drift = !dr ? el('span', { class: 'reason', text: 'no window yet' })
        : dr.drifted ? badge('drifted', 'bad') : badge('in range', 'ok');
      var acc = dr && num(dr.estimatedAccuracy) ? pct(dr.estimatedAccuracy) + (dr.outOfRange ? ' ⚠' : '') : '–';
      var errors = num(h.errorCount) ? h.errorCount : null;
      return el('tr', { 'data-device-id': d.deviceId, 'data-online': String(!!d.online) }, [
        el('td', { class: 'mono', text: d.deviceId }),
        el('td', { text: d.group || '–' }),
        el('td', { class: 'presence' }, [presence]),
        el('td', { class: 'mono', text: version }),
        el('td', { class: 'num', text: ms(h.p95Micros) }),
        el('td', { class: 'num', text: count(h.requestCount) }),
        el('td', { class: 'num' }, [errors ? badge(count(errors), 'bad') : document.createTextNode(count(errors))]),
        el('td', { class: 'drift' }, [drift]),
        el('td', { class: 'num', title: dr && dr.outOfRange ? 'inputs beyond what the estimate was calibrated on' : null, text: acc }),
        el('td', { text: ago((dr && dr.at) > (h.at || '') ? dr.at : h.at || d.statusAt) })
      ]);
    }));
  }

  function renderTiles(overview, plainDevices, rollouts) {
    var s = overview ? overview.summary : { devices: (plainDevices || []).length, online: null, drifted: null, withErrors: null };
    var active = rollouts ? rollouts.filter(function (r) { return ACTIVE_ROLLOUT.indexOf(r.state) >= 0; }).length : 0;
    function tile(label, value, kind) {
      return el('div', { class: 'tile ' + (kind || '') }, [el('div', { class: 'label', text: label }),
        el('div', { class: 'value', text: value === null ? '–' : String(value) })]);
    }
    fill($('#tiles'), [
      tile('Devices', s.devices),
      tile('Online', s.online, s.online > 0 ? 'ok' : ''),
      tile('Drifted', s.drifted, s.drifted > 0 ? 'bad' : ''),
      tile('With errors', s.withErrors, s.withErrors > 0 ? 'bad' : ''),
      tile('Rollouts in progress', active)
    ]);
  }

  // ---- rollouts ------------------------------------------------------------------------------

  function stateBadge(state) {
    var kind = state === 'SUCCEEDED' || state === 'DONE' ? 'ok' : state === 'RUNNING' || state === 'SOAKING' ? 'info'
      : ['ABORTED', 'ROLLED_BACK', 'ROLLING_BACK'].indexOf(state) >= 0 ? 'bad'
      : ['PAUSED', 'AWAITING_APPROVAL', 'SCHEDULED'].indexOf(state) >= 0 ? 'warn' : 'off';
    return badge(state || '?', kind);
  }

  function sum(counts, names) {
    return names.reduce(function (a, n) { return a + ((counts && counts[n]) || 0); }, 0);
  }

  function progressBar(counts, total) {
    var parts = [['s', sum(counts, ['SUCCEEDED'])], ['p', sum(counts, ['IN_PROGRESS'])],
      ['f', sum(counts, FAILED_STATES)], ['c', sum(counts, ['CANCELED', 'ROLLED_BACK'])]];
    var n = Math.max(total || 0, parts.reduce(function (a, p) { return a + p[1]; }, 0));
    return el('div', { class: 'bar' }, parts.map(function (p) {
      return n > 0 && p[1] > 0 ? el('span', { class: p[0], style: 'width:' + (100 * p[1] / n) + '%' }) : null;
    }));
  }

  function renderRollouts(rollouts) {
    var body = $('#rollouts .body');
    if (rollouts === null || rollouts.length === 0) {
      fill(body, [el('div', { class: 'empty', 'data-empty': 'rollouts', text: rollouts === null
        ? 'No rollouts: this server has no rollout API yet.' : 'No rollouts.' })]);
      return;
    }
    var active = rollouts.filter(function (r) { return ACTIVE_ROLLOUT.indexOf(r.state) >= 0; });
    var done = rollouts.filter(function (r) { return ACTIVE_ROLLOUT.indexOf(r.state) < 0; })
      .sort(function (a, b) { return String(b.endedAt || b.createdAt).localeCompare(String(a.endedAt || a.createdAt)); })
      .slice(0, 5);
    var out = [];
    if (active.length === 0) out.push(el('div', { class: 'empty', text: 'No rollouts in progress.' }));
    active.forEach(function (r) {
      var list = Array.isArray(r.waves) ? r.waves : [];
      // Numbered from 1 whether the server counts its wave indexes from 0 or from 1.
      var first = list.reduce(function (a, w) { return num(w.index) ? Math.min(a, w.index) : a; }, Infinity);
      var waves = list.map(function (w, i) {
        var c = w.counts || {};
        var n = num(w.index) && isFinite(first) ? w.index - first + 1 : i + 1;
        return el('tr', { 'data-wave': String(n), 'data-state': w.state || '', class: num(r.currentWave) && r.currentWave === n ? 'current' : null }, [
          el('td', { text: 'Wave ' + n }),
          el('td', { class: 'num', text: num(w.percent) ? w.percent + ' %' : '–' }),
          el('td', {}, [stateBadge(w.state)]),
          el('td', { class: 'num', text: count(w.targeted) }),
          el('td', { class: 'num', text: count(sum(c, ['QUEUED'])) }),
          el('td', { class: 'num', text: count(sum(c, ['IN_PROGRESS'])) }),
          el('td', { class: 'num', text: count(sum(c, ['SUCCEEDED'])) }),
          el('td', { class: 'num', text: count(sum(c, FAILED_STATES)) }),
          el('td', { class: 'num', text: count(sum(c, ['CANCELED', 'ROLLED_BACK'])) }),
          el('td', {}, [progressBar(c, w.targeted)])
        ]);
      });
      var gate = r.gate && r.gate.outcome ? badge('gate ' + r.gate.outcome, r.gate.outcome === 'PASS' ? 'ok'
        : r.gate.outcome === 'BREACH' ? 'bad' : 'warn') : null;
      // GET /rollouts/{id} numbers currentWave from 1 and names its target count 'targets'.
      var of = num(r.currentWave) && list.length > 0 ? 'wave ' + r.currentWave + ' of ' + list.length : '';
      var targets = num(r.targets) ? count(r.targets) + (r.targets === 1 ? ' device' : ' devices') : '';
      out.push(el('div', { class: 'rollout', 'data-rollout-id': r.rolloutId, 'data-state': r.state }, [
        el('h3', {}, [el('span', { class: 'mono', text: r.rolloutId }), stateBadge(r.state),
          el('span', { class: 'package', text: typeof r.package === 'string' ? r.package : JSON.stringify(r.package || '') }),
          el('span', { class: 'reason', text: [targets, of].filter(Boolean).join(', ') }), gate,
          el('span', { class: 'reason', text: r.startedAt ? 'started ' + ago(r.startedAt) : '' })]),
        waves.length === 0 ? el('div', { class: 'empty', text: 'No waves reported.' }) : el('table', {}, [
          el('thead', {}, [el('tr', {}, ['Wave', 'Cumulative', 'State', 'Targeted', 'Queued', 'In progress', 'Succeeded',
            'Failed', 'Canceled / rolled back', 'Progress'].map(function (h, i) {
            return el('th', { class: i === 1 || (i >= 3 && i <= 8) ? 'num' : null, text: h });
          }))]),
          el('tbody', {}, waves)])
      ]));
    });
    if (done.length > 0) {
      out.push(el('h3', { text: 'Recently finished' }));
      out.push(el('table', {}, [el('tbody', {}, done.map(function (r) {
        return el('tr', { 'data-rollout-id': r.rolloutId }, [el('td', { class: 'mono', text: r.rolloutId }),
          el('td', {}, [stateBadge(r.state)]),
          el('td', { text: typeof r.package === 'string' ? r.package : '' }),
          el('td', { text: when(r.endedAt || r.createdAt) })]);
      }))]));
    }
    fill(body, out);
  }

  // The list carries summaries (its 'waves' a count): active rollouts are read one by one for their waves.
  function loadRollouts() {
    return optional(api('/rollouts')).then(function (body) {
      if (body === null) return null;
      var list = items(body);
      return Promise.all(list.map(function (r) {
        if (ACTIVE_ROLLOUT.indexOf(r.state) < 0 || Array.isArray(r.waves)) return r;
        return api('/rollouts/' + encodeURIComponent(r.rolloutId)).catch(function () { return r; });
      }));
    });
  }

  // ---- drift charts --------------------------------------------------------------------------

  function chartOption(series) {
    var pts = series.points;
    var t = function (p) { return p.start; };
    return {
      animation: false,
      grid: { left: 52, right: 56, top: 30, bottom: 52 },
      legend: { bottom: 0, textStyle: { fontSize: 11 } },
      tooltip: {
        trigger: 'axis',
        formatter: function (items) {
          var p = pts[items[0].dataIndex];
          return [when(new Date(p.start).toISOString()),
            'windows: ' + p.windows + ' from ' + p.devices + ' device(s), drifted: ' + p.drifted
              + (p.outOfRange ? ', out of range: ' + p.outOfRange : '')]
            .concat(items.map(function (i) {
              var v = Array.isArray(i.value) ? i.value[1] : i.value;
              return i.marker + i.seriesName + ': ' + (v === null || v === undefined ? '–'
                : i.seriesIndex < 2 ? (v * 100).toFixed(1) + ' %' : v.toFixed(3));
            })).join('<br>');
        }
      },
      xAxis: { type: 'time' },
      yAxis: [
        { type: 'value', name: 'est. accuracy', min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } } },
        { type: 'value', name: 'PSI', min: 0, splitLine: { show: false } }
      ],
      series: [
        { name: 'estimated accuracy', type: 'line', yAxisIndex: 0, showSymbol: true, symbolSize: 7, connectNulls: true,
          lineStyle: { width: 2.5, color: '#2f6fd6' }, itemStyle: { color: '#2f6fd6' },
          data: pts.map(function (p) {
            return { value: [t(p), p.meanEstimatedAccuracy], itemStyle: p.drifted > 0 ? { color: '#c8372d' } : undefined,
              symbolSize: p.drifted > 0 ? 10 : 7 };
          }) },
        { name: 'lowest estimate', type: 'line', yAxisIndex: 0, showSymbol: false, connectNulls: true,
          lineStyle: { width: 1, type: 'dashed', color: '#7ea3e6' }, itemStyle: { color: '#7ea3e6' },
          data: pts.map(function (p) { return [t(p), p.minEstimatedAccuracy]; }) },
        { name: 'output PSI', type: 'line', yAxisIndex: 1, showSymbol: false, connectNulls: true,
          lineStyle: { width: 1.5, color: '#b7791f' }, itemStyle: { color: '#b7791f' },
          data: pts.map(function (p) { return [t(p), p.meanOutputPsi]; }) },
        { name: 'max feature PSI', type: 'line', yAxisIndex: 1, showSymbol: false, connectNulls: true,
          lineStyle: { width: 1.5, color: '#8e44ad' }, itemStyle: { color: '#8e44ad' },
          data: pts.map(function (p) { return [t(p), p.maxFeaturePsi]; }) }
      ]
    };
  }

  function renderCharts(result) {
    var box = $('#drift .charts');
    if (typeof echarts === 'undefined') {
      fill(box, [el('div', { class: 'error', text: 'The chart library (lib/echarts.min.js) did not load.' })]);
      return;
    }
    var series = result ? result.series : [];
    var keep = {};
    if (series.length === 0) {
      Object.keys(charts).forEach(function (k) { charts[k].chart.dispose(); delete charts[k]; });
      fill(box, [el('div', { class: 'empty', 'data-empty': 'drift', text: result === null
        ? 'No telemetry: this server runs without its MQTT half.' : 'No drift windows reported in this time range.' })]);
      return;
    }
    var empty = box.querySelector('.empty, .error');
    if (empty) box.removeChild(empty);
    series.forEach(function (s) {
      var key = s.model + '@' + s.version;
      keep[key] = true;
      var entry = charts[key];
      if (!entry) {
        var sub = el('div', { class: 'sub' });
        var div = el('div', { class: 'chart' });
        var wrap = el('div', { class: 'chart-box', 'data-model': s.model, 'data-version': s.version }, [
          el('h3', {}, [el('span', { class: 'mono', text: s.model + ' ' + s.version })]), sub, div]);
        box.appendChild(wrap);
        entry = charts[key] = { wrap: wrap, sub: sub, chart: echarts.init(div, null, { renderer: 'svg' }) };
      }
      var windows = s.points.reduce(function (a, p) { return a + p.windows; }, 0);
      var drifted = s.points.reduce(function (a, p) { return a + p.drifted; }, 0);
      entry.sub.textContent = windows + ' drift windows, ' + drifted + ' drifted; buckets of ' + result.bucketSeconds + ' s'
        + (result.truncated ? ' (newest windows only)' : '');
      entry.chart.setOption(chartOption(s), true);
    });
    Object.keys(charts).forEach(function (k) {
      if (!keep[k]) { charts[k].chart.dispose(); box.removeChild(charts[k].wrap); delete charts[k]; }
    });
  }

  // ---- registry ------------------------------------------------------------------------------

  function loadRegistry() {
    return optional(api('/models')).then(function (versions) {
      if (versions === null) return null;
      var names = [];
      versions.forEach(function (v) { if (names.indexOf(v.name) < 0) names.push(v.name); });
      return Promise.all(names.map(function (n) {
        return optional(api('/models/' + encodeURIComponent(n) + '/gate-decisions')).then(function (d) {
          return { name: n, versions: versions.filter(function (v) { return v.name === n; }), decisions: d || [] };
        });
      }));
    });
  }

  function metric(m) {
    var keys = ['onnx_test_accuracy', 'test_accuracy', 'accuracy'];
    for (var i = 0; i < keys.length; i++) if (num(m && m[keys[i]])) return pct(m[keys[i]]);
    return '–';
  }

  function renderRegistry(models) {
    var body = $('#registry .body');
    if (!models || models.length === 0) {
      fill(body, [el('div', { class: 'empty', 'data-empty': 'registry', text: 'No registered model versions.' })]);
      return;
    }
    fill(body, models.map(function (m) {
      var rows = m.versions.slice().sort(function (a, b) { return b.version - a.version; }).map(function (v) {
        var mine = m.decisions.filter(function (d) { return d.candidateVersion === v.version; });
        var d = mine.length ? mine[mine.length - 1] : null;
        var stageKind = v.stage === 'PRODUCTION' ? 'ok' : v.stage === 'ARCHIVED' ? 'off' : v.stage === 'STAGING' ? 'info' : 'warn';
        var gate = !d ? el('span', { class: 'reason', text: 'no gate decision yet' }) : el('div', {}, [
          badge(d.passed ? 'PROMOTE' : 'REFUSE', d.passed ? 'ok' : 'bad'),
          el('span', { text: ' ' + d.metric + ' ' + pct(d.candidateValue) + (num(d.productionValue)
            ? ' vs production v' + d.productionVersion + ' ' + pct(d.productionValue) : '') }),
          el('div', { class: 'reason', text: d.reason + ' · ' + when(d.decidedAt) + (mine.length > 1 ? ' · ' + mine.length + ' decisions' : '') })]);
        return el('tr', { 'data-model': v.name, 'data-version': String(v.version), 'data-gate': d ? d.decision || (d.passed ? 'PROMOTE' : 'REFUSE') : '' }, [
          el('td', { class: 'mono', text: 'v' + v.version }),
          el('td', {}, [badge(String(v.stage).toLowerCase(), stageKind)]),
          el('td', { class: 'num', text: metric(v.metrics) }),
          el('td', { class: 'mono', text: v.runId || '–' }),
          el('td', { text: v.parentVersion ? 'v' + v.parentVersion : '–' }),
          el('td', { text: when(v.createdAt) }),
          el('td', { class: 'gate' }, [gate])]);
      });
      return el('div', { class: 'model' }, [el('h3', { class: 'mono', text: m.name }), el('table', {}, [
        el('thead', {}, [el('tr', {}, ['Version', 'Stage', 'Test accuracy', 'Training run', 'Parent', 'Registered',
          'Gate decision'].map(function (h, i) { return el('th', { class: i === 2 ? 'num' : null, text: h }); }))]),
        el('tbody', {}, rows)])]);
    }));
  }

  // ---- retraining decisions (Contract 3: GET /retraining/decisions, newest first) -----------

  function actionBadge(d) {
    var kind = d.action === 'RETRAIN' ? 'info' : 'off';
    return el('span', {}, [badge(d.action || '?', kind), d.dryRun ? badge('dry run', 'warn') : null]);
  }

  function decisionStateBadge(state) {
    var kind = state === 'DONE' ? 'ok' : ['REJECTED', 'FAILED'].indexOf(state) >= 0 ? 'bad'
      : ['TRAINING', 'GATED', 'ROLLING_OUT'].indexOf(state) >= 0 ? 'info' : 'off';
    return badge(state || '?', kind);
  }

  function figureList(f) {
    f = f || {};
    var drifted = (Array.isArray(f.driftedDevices) ? f.driftedDevices : []).map(function (d) {
      return typeof d === 'string' ? d : (d && d.deviceId) || JSON.stringify(d);
    });
    var parts = [
      ['production', f.productionVersion !== undefined && f.productionVersion !== null ? 'v' + f.productionVersion : null],
      ['drifted devices', drifted.length ? drifted.length + (num(f.devices) ? ' of ' + f.devices : '') + ' (' + drifted.join(', ') + ')'
        : num(f.devices) ? '0 of ' + f.devices : null],
      ['samples', num(f.samples) ? count(f.samples) : null],
      ['labels', num(f.labels) ? count(f.labels) : null],
      ['cool-down left', num(f.cooldownRemainingSeconds) && f.cooldownRemainingSeconds > 0 ? f.cooldownRemainingSeconds + ' s' : null]
    ];
    return el('div', { class: 'figures' }, parts.filter(function (p) { return p[1] !== null; }).map(function (p) {
      return el('span', {}, [el('b', { text: p[0] + ': ' }), p[1]]);
    }));
  }

  function gateCell(g) {
    if (!g) return el('span', { class: 'reason', text: '–' });
    function pair(name, x) {
      if (!x) return null;
      return el('div', { text: name + ': candidate ' + pct(x.candidate) + ' vs production ' + pct(x.production) });
    }
    return el('div', {}, [badge(g.passed ? 'passed' : 'refused', g.passed ? 'ok' : 'bad'), pair('drifted', g.drifted),
      pair('clean', g.clean)]);
  }

  function renderRetraining(decisions) {
    var body = $('#retraining .body');
    if (decisions === null || decisions.length === 0) {
      fill(body, [el('div', { class: 'empty', 'data-empty': 'retraining', text: decisions === null
        ? 'No retraining decisions: this server has no retraining service.' : 'No retraining decisions yet.' })]);
      return;
    }
    var rows = decisions.slice(0, 20).map(function (d) {
      var outcome = [d.candidateVersion !== undefined && d.candidateVersion !== null ? 'v' + d.candidateVersion : null,
        d.package ? (typeof d.package === 'string' ? d.package : JSON.stringify(d.package)) : null,
        d.rolloutId ? 'rollout ' + d.rolloutId : null].filter(Boolean).join(' · ');
      var reasons = (d.reasons || []).concat(d.error ? ['error: ' + d.error] : []);
      return el('tr', { 'data-decision-id': d.id, 'data-action': d.action || '', 'data-state': d.state || '' }, [
        el('td', { text: when(d.at) }),
        el('td', { class: 'mono', text: d.model || '–' }),
        el('td', {}, [actionBadge(d)]),
        el('td', {}, [decisionStateBadge(d.state)]),
        el('td', {}, [figureList(d.figures)]),
        el('td', { class: 'gate' }, [gateCell(d.gate)]),
        el('td', { class: 'mono', text: outcome || '–' }),
        el('td', { class: 'reason reasons', text: reasons.join('; ') || '–' })]);
    });
    fill(body, [el('table', {}, [
      el('thead', {}, [el('tr', {}, ['Decided', 'Model', 'Action', 'State', 'Figures', 'Gate', 'Candidate',
        'Reasons'].map(function (h) { return el('th', { text: h }); }))]),
      el('tbody', {}, rows)])].concat(decisions.length > 20
      ? [el('div', { class: 'reason', text: 'the 20 newest of ' + decisions.length + ' decisions' })] : []));
  }

  // ---- captures per device (Contract 2: GET /captures/stats) --------------------------------

  var captureChart = null;

  function bytes(v) {
    if (!num(v)) return '–';
    var units = ['B', 'KiB', 'MiB', 'GiB'];
    var i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
  }

  function renderCaptures(stats) {
    var body = $('#captures .body');
    var box = $('#captures .capture-chart');
    var devices = stats && Array.isArray(stats.devices) ? stats.devices : [];
    if (stats === null || devices.length === 0) {
      if (captureChart) { captureChart.dispose(); captureChart = null; }
      fill(box, []);
      fill(body, [el('div', { class: 'empty', 'data-empty': 'captures', text: stats === null
        ? 'No captures: this server has no capture store.' : 'No captures stored.' })]);
      return;
    }
    devices = devices.slice().sort(function (a, b) { return String(a.deviceId).localeCompare(String(b.deviceId)); });
    if (typeof echarts !== 'undefined') {
      if (!captureChart) captureChart = echarts.init(box, null, { renderer: 'svg' });
      captureChart.setOption({
        animation: false,
        grid: { left: 60, right: 20, top: 30, bottom: 50 },
        legend: { bottom: 0, textStyle: { fontSize: 11 } },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: devices.map(function (d) { return d.deviceId; }) },
        yAxis: { type: 'value', name: 'samples', minInterval: 1 },
        series: [
          { name: 'captures', type: 'bar', itemStyle: { color: '#2f6fd6' }, data: devices.map(function (d) { return d.captures || 0; }) },
          { name: 'labelled', type: 'bar', itemStyle: { color: '#1e8e5a' }, data: devices.map(function (d) { return d.labelled || 0; }) }
        ]
      }, true);
    }
    var rows = devices.map(function (d) {
      var share = num(d.captures) && d.captures > 0 && num(d.labelled) ? pct(d.labelled / d.captures) : '–';
      return el('tr', { 'data-device-id': d.deviceId, 'data-captures': String(d.captures), 'data-labelled': String(d.labelled) }, [
        el('td', { class: 'mono', text: d.deviceId }),
        el('td', { class: 'num', text: count(d.captures) }),
        el('td', { class: 'num', text: count(d.labelled) }),
        el('td', { class: 'num', text: share }),
        el('td', { class: 'num', text: bytes(d.bytes) }),
        el('td', { text: when(d.oldest) }),
        el('td', { text: ago(d.newest) })]);
    });
    var t = stats.totals || {};
    var r = stats.retention || {};
    var summary = [num(t.captures) ? count(t.captures) + ' captures, ' + count(t.labelled) + ' labelled, ' + bytes(t.bytes) : null,
      num(t.pendingLabels) && t.pendingLabels > 0 ? count(t.pendingLabels) + ' labels waiting for their capture' : null,
      r.maxAge ? 'kept ' + r.maxAge + (num(r.deviceQuotaBytes) && r.deviceQuotaBytes > 0 ? ', ' + bytes(r.deviceQuotaBytes) + ' per device' : '')
        + (num(r.totalQuotaBytes) && r.totalQuotaBytes > 0 ? ', ' + bytes(r.totalQuotaBytes) + ' in total' : '') : null]
      .filter(Boolean).join(' · ');
    fill(body, [el('table', {}, [
      el('thead', {}, [el('tr', {}, ['Device', 'Captures', 'Labelled', 'Labelled share', 'Stored', 'Oldest', 'Newest']
        .map(function (h, i) { return el('th', { class: i >= 1 && i <= 4 ? 'num' : null, text: h }); }))]),
      el('tbody', {}, rows)]), summary ? el('div', { class: 'reason', text: summary }) : null]);
  }

  // ---- refresh loop --------------------------------------------------------------------------

  function showLogin(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    clearTimeout(timer);
    $('#main').hidden = true;
    $('#sign-out').hidden = true;
    $('#login').hidden = false;
    $('#login-error').hidden = !message;
    $('#login-error').textContent = message || '';
    $('#status').textContent = 'signed out';
    document.body.setAttribute('data-state', 'login');
  }

  function settle(promise) {
    return promise.then(function (v) { return { value: v }; }, function (e) { return { error: e }; });
  }

  // A section whose call failed keeps what it showed and says why; the others still refresh.
  function sectionError(card, error) {
    var note = card.querySelector('.section-error');
    if (!error) { if (note) note.parentNode.removeChild(note); return; }
    if (!note) {
      note = el('div', { class: 'error section-error' });
      card.insertBefore(note, card.querySelector('h2').nextSibling);
    }
    note.textContent = 'Could not refresh: ' + (error.message || error) + (error.code ? ' (' + error.code + ')' : '');
  }

  function refresh() {
    if (busy) return;
    busy = true;
    var since = new Date(Date.now() - Number($('#range').value) * 1000).toISOString();
    var overview = optional(api('/telemetry/devices'));
    var devices = overview.then(function (o) {
      return o ? { overview: o, plain: null } : api('/devices').then(function (p) { return { overview: null, plain: p }; });
    });
    var sections = [
      { card: '#devices', load: devices, render: function (d) { renderDevices(d.overview, d.plain); } },
      { card: '#rollouts', load: loadRollouts(), render: renderRollouts },
      { card: '#drift', load: optional(api('/telemetry/drift-series?since=' + encodeURIComponent(since))), render: renderCharts },
      { card: '#registry', load: loadRegistry(), render: renderRegistry },
      { card: '#retraining', load: optional(api('/retraining/decisions')).then(function (b) { return b === null ? null : items(b); }),
        render: renderRetraining },
      { card: '#captures', load: optional(api('/captures/stats')), render: renderCaptures }
    ];
    Promise.all(sections.map(function (x) { return settle(x.load); }))
      .then(function (results) {
        var denied = results.filter(function (r) {
          return r.error instanceof ApiError && (r.error.status === 401 || r.error.status === 403);
        })[0];
        if (denied) {
          showLogin(denied.error.status === 401 ? 'The token was not accepted: ' + denied.error.message : denied.error.message);
          return;
        }
        var failed = [];
        results.forEach(function (r, i) {
          var card = $(sections[i].card);
          if (r.error) {
            failed.push(card.querySelector('h2').firstChild.textContent.trim());
          } else {
            try { sections[i].render(r.value); } catch (e) { r.error = e; failed.push(sections[i].card); }
          }
          sectionError(card, r.error);
        });
        if (!results[0].error && !results[1].error) {
          renderTiles(results[0].value.overview, results[0].value.plain, results[1].value);
        }
        var time = new Date().toISOString().slice(11, 19) + ' UTC';
        $('#status').className = failed.length ? 'status error' : 'status';
        $('#status').textContent = failed.length ? 'refresh failed for ' + failed.join(', ') + ' at ' + time + ' (retrying)'
          : 'updated ' + time + ' · every ' + REFRESH_MS / 1000 + ' s';
        document.body.setAttribute('data-state', failed.length === sections.length ? 'error' : 'ready');
      })
      .then(function () {
        busy = false;
        if (token()) { clearTimeout(timer); timer = setTimeout(refresh, REFRESH_MS); }
      });
  }

  function start() {
    $('#login').hidden = true;
    $('#main').hidden = false;
    $('#sign-out').hidden = false;
    refresh();
  }

  document.addEventListener('DOMContentLoaded', function () {
    takeTokenFromFragment();
    $('#login').addEventListener('submit', function (ev) {
      ev.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
      $('#token').value = '';
      start();
    });
    $('#sign-out').addEventListener('click', function () { showLogin(null); });
    $('#range').addEventListener('change', function () { clearTimeout(timer); refresh(); });
    window.addEventListener('resize', function () {
      Object.keys(charts).forEach(function (k) { charts[k].chart.resize(); });
      if (captureChart) captureChart.resize();
    });
    if (token()) start(); else showLogin(null);
  });
})();
