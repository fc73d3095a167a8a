// The teaching views' entry, loaded on demand by the page (teaching.js): the state map beside the
// diagram, predict-then-reveal prompts and the guided tour, all driving and following the page's own
// player, store and narration, which `start` receives.

import { connect, page } from './host.js';
import { drawStateMap, stateAt, stateMapView, nextEntry, stateName } from './statemap.js';
import { createPredictor, pickQuestions } from './predictor.js';
import { mountTour, CHAPTERS } from './tour.js';
import { teach } from './text.js';

/** The main run's last event shown at player step `step` (the twin's tail maps to the main run's end). */
function mainIndex(step) {
  const s = page.state.steps[step];
  if (!s) return -1;
  return s.run === 'main' ? s.index : page.state.models.main.trace.events.length - 1;
}

export function start(host) {
  connect(host);
  const { state, player, ui } = host;
  let map = null;
  let naming = 'rfc';
  let tour = null;
  // Which questions to ask: null for none, 'all' (the switch), or the tour chapter's tags.
  let asking = null;

  // After an answer is revealed the reader goes on from where the keyboard is: the tour's Play (more
  // questions ahead) or Next, or the player's own Play button.
  const predictor = createPredictor({
    player,
    container: ui.predictBox,
    onRevealed: () => (tour ? tour.focusNext(predictor.remaining() > 0) : ui.play.focus()),
  });
  // The map stays in view below the sticky player while the diagram scrolls.
  const stage = document.querySelector('.stage');
  new ResizeObserver(() => {
    document.documentElement.style.setProperty('--stage-h', `${stage.offsetHeight + 8}px`);
  }).observe(stage);

  function arm() {
    // While predictions are on, the diagram does not show what is still to come.
    document.body.classList.toggle('is-predicting', Boolean(asking));
    if (!state.models || !asking) predictor.stop();
    else predictor.set(pickQuestions(state.models.main, asking === 'all' ? null : asking));
  }

  function drawMap() {
    const box = document.createElement('div');
    const head = document.createElement('div');
    head.className = 'statemap-head';
    const names = document.createElement('fieldset');
    names.className = 'statemap-naming';
    const legend = document.createElement('legend');
    legend.textContent = teach().map.naming;
    names.appendChild(legend);
    for (const id of ['rfc', 'ss', 'netstat']) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'statemap-naming';
      input.value = id;
      input.checked = id === naming;
      input.addEventListener('change', () => {
        naming = id;
        map.setNaming(id);
      });
      label.append(input, ` ${teach().map.namings[id]}`);
      names.appendChild(label);
    }
    head.appendChild(names);
    const svg = document.createElement('div');
    box.append(head, svg);
    ui.stateMap.replaceChildren(box);
    map = drawStateMap(svg, { naming, onState: jumpTo });
    follow();
  }

  function follow() {
    if (!map || !state.models) return;
    map.update(stateMapView(stateAt(state.models.main, mainIndex(player.step))));
  }

  /** Clicking a state: the next moment a side enters it (the player's steps are the main run's events first). */
  function jumpTo(name) {
    const j = nextEntry(state.models.main.trace.events, mainIndex(player.step), name);
    if (j >= 0) player.toStep(j);
    else map.say(teach().map.none(stateName(name, naming)));
  }

  host.onFrame(({ step }) => {
    follow();
    predictor.follow(step);
  });
  host.on('run', () => {
    arm();
    follow();
  });
  host.on('language', () => {
    if (map) drawMap();
    tour?.redraw();
    arm();
  });

  const api = {
    stateMap(open) {
      if (open && !map) drawMap();
      else if (!open) {
        map = null;
        ui.stateMap.replaceChildren();
      }
      host.relayout();
    },
    predict(on) {
      if (tour) return;
      asking = on ? 'all' : null;
      arm();
    },
    async tour(chapter) {
      if (!tour) {
        tour = mountTour(ui.tour, {
          open: async (link) => {
            await host.open(link);
            player.toStart();
          },
          play: () => player.play(),
          ask: (tags) => {
            asking = tags;
            arm();
          },
          address: (n) => host.address(host.tourLink(n, page.language())),
          leave: () => api.leaveTour(),
        });
        // The tour shows the state map open beside the diagram.
        if (!ui.stateMapBox.open) ui.stateMapBox.open = true;
      }
      await tour.go(Math.min(chapter, CHAPTERS.length) - 1);
    },
    leaveTour() {
      if (!tour) return;
      tour = null;
      ui.tour.hidden = true;
      ui.tour.replaceChildren();
      delete ui.tour.dataset.tour;
      host.address(null);
      asking = ui.predictSwitch.checked ? 'all' : null;
      arm();
    },
  };
  return api;
}
