// Sites and hazard areas on a Leaflet map over an offline base map (Natural Earth country
// boundaries from the world-atlas package, bundled: no tile server). Hazard areas are coloured by
// status; sites inside or near an uncleared area are flagged; an excavation the server refuses
// shows its reason.
import L from 'leaflet';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-50m.json?url';
import { apiGet, apiPost, type Schemas } from '../api/client';
import { nameCollator, t, tCode } from '../messages/i18n';
import { can } from '../session';
import { errorBox, field, formValues, h, mount, nameSpan, notice, today } from '../ui';

type Site = Schemas['Site'];

export const HAZARD_COLOURS: Record<string, string> = { suspected: '#e08a00', confirmed: '#c62828', cleared: '#2e7d32' };

/** inside: in an uncleared hazard area; near: within the server's distance of one; clear: neither. */
export function siteFlag(s: Site): 'inside' | 'near' | 'clear' {
  const open = s.hazards.filter((z) => z.hazard_status !== 'cleared');
  if (open.some((z) => z.inside)) return 'inside';
  return open.length > 0 ? 'near' : 'clear';
}

const FLAG_COLOURS = { inside: '#c62828', near: '#e08a00', clear: '#1565c0' };

let baseLayer: GeoJSON.FeatureCollection | null = null;
/** The country boundaries, shipped with the interface (a file of the build, not the internet). */
async function base(): Promise<GeoJSON.FeatureCollection> {
  if (!baseLayer) {
    const res = await fetch(countriesUrl);
    const topo = (await res.json()) as Topology<{ countries: GeometryCollection }>;
    baseLayer = feature(topo, topo.objects.countries) as GeoJSON.FeatureCollection;
  }
  return baseLayer;
}

export async function mapPage(main: HTMLElement): Promise<void> {
  const [{ data: sites }, { data: hazards }, countries] = await Promise.all([apiGet('/api/v1/sites'), apiGet('/api/v1/hazards'), base()]);
  const mapEl = h('div', { id: 'map', class: 'map', 'data-testid': 'map' });
  const detail = h('div', { class: 'site-detail' });
  const legend = h(
    'div',
    { class: 'legend' },
    (['suspected', 'confirmed', 'cleared'] as const).map((s) => h('span', null, h('i', { style: `background:${HAZARD_COLOURS[s]}` }), tCode('hazard', s))),
    (['inside', 'near', 'clear'] as const).map((f) => h('span', null, h('i', { class: 'dot', style: `background:${FLAG_COLOURS[f]}` }), t(`site.flag.${f}`))),
  );
  const list = h('ul', { class: 'site-list' });
  mount(main, h('h1', null, t('nav.map')), legend, h('div', { class: 'map-layout' }, mapEl, h('div', null, detail, list)), h('p', { class: 'hint' }, t('map.attribution')));

  const hz = L.geoJSON(hazards as unknown as GeoJSON.FeatureCollection, {
    style: (f) => {
      const st = (f?.properties as { hazard_status: string }).hazard_status;
      return { color: HAZARD_COLOURS[st], weight: 2, fillOpacity: st === 'cleared' ? 0.15 : 0.35, dashArray: st === 'cleared' ? '4 4' : undefined };
    },
    onEachFeature: (f, layer) => {
      const pr = f.properties as Schemas['HazardFeature']['properties'];
      // Set before the layer is drawn: the class names the status (and lets tests find it).
      (layer as L.Path).options.className = `hazard hazard-${pr.hazard_status}`;
      layer.bindTooltip(`${pr.name}: ${tCode('hazard', pr.hazard_status)}`);
    },
  });
  // The view first, then the layers (Leaflet projects paths on the current view).
  const bounds = L.latLngBounds(sites.sites.map((s) => L.latLng(s.lat, s.lon)));
  if (hz.getLayers().length) bounds.extend(hz.getBounds());
  const map = L.map(mapEl, { attributionControl: true, zoomSnap: 0.5 });
  map.attributionControl.setPrefix('');
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.3), { maxZoom: 10 });
  else map.setView([44, 21], 6);
  // Only the countries around the data (drawn on a canvas: thousands of points, no events).
  const around = bounds.isValid() ? bounds.pad(8) : L.latLngBounds([30, 5], [60, 40]);
  const near = countries.features.filter((f) => around.intersects(L.geoJSON(f).getBounds()));
  const baseOptions: L.GeoJSONOptions & L.PathOptions = {
    style: { color: '#888', weight: 1, fillColor: '#f4f1ea', fillOpacity: 1 },
    interactive: false,
    attribution: 'Natural Earth',
    renderer: L.canvas({ padding: 0.5 }), // passed on to each country's path
  };
  L.geoJSON({ type: 'FeatureCollection', features: near } as GeoJSON.FeatureCollection, baseOptions).addTo(map);
  hz.addTo(map);
  const show = (s: Site, zoom = false) => {
    mount(detail, siteDetail(s, main));
    if (zoom) map.setView([s.lat, s.lon], Math.max(map.getZoom(), 13));
  };
  for (const s of sites.sites) {
    const flag = siteFlag(s);
    L.circleMarker([s.lat, s.lon], { radius: flag === 'clear' ? 6 : 8, color: '#222', weight: 1, fillColor: FLAG_COLOURS[flag], fillOpacity: 0.95, className: `site site-${flag}` })
      .bindTooltip(s.name, { permanent: true, direction: 'right', offset: [8, 0], className: 'site-label' })
      .on('click', () => show(s))
      .addTo(map);
  }

  const sorted = [...sites.sites].sort((a, b) => nameCollator.compare(a.name, b.name));
  mount(
    list,
    sorted.map((s) => {
      const flag = siteFlag(s);
      return h('li', { class: `flag-${flag}` }, h('button', { type: 'button', class: 'link', onclick: () => show(s, true) }, nameSpan(s.name)), ' ', flag !== 'clear' ? h('span', { class: `badge flag-${flag}`, 'data-testid': 'site-flag' }, t(`site.flag.${flag}`)) : null);
    }),
  );
  const first = sorted.find((s) => siteFlag(s) === 'inside') ?? sorted[0];
  if (first) mount(detail, siteDetail(first, main));
  setTimeout(() => map.invalidateSize(), 50);
}

function siteDetail(s: Site, main: HTMLElement): HTMLElement {
  const flag = siteFlag(s);
  const msg = h('div');
  const open = s.hazards.filter((z) => z.hazard_status !== 'cleared');
  const form = can('write_sites')
    ? h(
        'form',
        {
          class: 'inline',
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            const v = formValues(ev.target as HTMLFormElement);
            try {
              await apiPost('/api/v1/sites/{id}/excavations', { date: v.date, team: v.team, findings: v.findings, reason: v.reason }, { params: { id: s.id } });
              mount(msg, notice(t('site.excavation_recorded')));
              setTimeout(() => void mapPage(main), 800);
            } catch (e) {
              mount(msg, h('div', { class: 'error refusal', role: 'alert', 'data-testid': 'refusal' }, h('strong', null, t('site.refused')), ' ', errorBox(e)));
            }
          },
        },
        h('h3', null, t('site.record_excavation')),
        field('site.date', h('input', { name: 'date', type: 'date', value: today(), required: true })),
        field('site.team', h('input', { name: 'team' })),
        field('site.findings', h('input', { name: 'findings' })),
        field('common.reason', h('input', { name: 'reason' })),
        h('button', { type: 'submit' }, t('site.excavate')),
      )
    : null;
  return h(
    'div',
    { class: `panel site flag-${flag}`, 'data-testid': 'site-detail' },
    h('h2', null, nameSpan(s.name)),
    h('p', null, tCode('site_kind', s.site_kind), ' · ', [s.village, s.district].filter(Boolean).join(', '), ` · ${s.lat.toFixed(4)}, ${s.lon.toFixed(4)}`),
    s.findings ? h('p', { dir: 'auto' }, s.findings) : null,
    h('p', null, t('site.discovered', { date: s.discovered_on || '—' }), ' · ', s.excavations ? t('site.excavated', { n: s.excavations, date: s.last_excavated_on }) : t('site.not_excavated')),
    flag === 'clear'
      ? h('p', { class: 'ok' }, t('site.no_hazard'))
      : h(
          'div',
          { class: `warning flag-${flag}`, role: 'note' },
          h('strong', null, t(`site.flag.${flag}`)),
          h('ul', null, open.map((z) => h('li', null, t(z.inside ? 'site.inside_hazard' : 'site.near_hazard', { id: z.hazard, status: tCode('hazard', z.hazard_status), m: Math.round(z.distance_m) })))),
          flag === 'inside' ? h('p', null, t('site.excavation_refused_reason')) : null,
        ),
    s.hazards.some((z) => z.hazard_status === 'cleared') ? h('p', { class: 'muted' }, t('site.cleared_nearby')) : null,
    form,
    msg,
  );
}
