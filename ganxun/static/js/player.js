// The lesson player: reports position and state every few seconds; the server decides what
// counts (learning/accounting.py). Reports are buffered while the network is away (bounded) and
// sent oldest first. A hidden page pauses the video; a second device playing stops this one.
(function () {
  "use strict";
  const box = document.getElementById("gx-player");
  if (!box) return;
  const d = box.dataset;
  const video = box.querySelector("video");
  const part = (role) => box.querySelector(`[data-role="${role}"]`);
  const REPORT_MS = 5000;
  const MAX_BUFFER = 100;
  const SEEK_SLACK = 1.5;
  let token = null;
  let starting = null;
  let t0 = 0;
  let seq = 0;
  let furthest = 0;
  let forbid = false;
  let maxSpeed = 1;
  let buffer = [];
  let sending = false;

  const say = (text) => { part("status").textContent = text || ""; };

  function state() {
    if (document.hidden) return "hidden";
    if (video.ended) return "ended";
    return video.paused ? "paused" : "playing";
  }

  function show(body) {
    const percent = Math.max(0, Math.min(100, body.percent || 0));
    part("bar").style.width = `${percent}%`;
    part("percent").textContent = String(percent);
    furthest = Math.max(furthest, (body.furthest_ms || 0) / 1000);
    if (body.resume_at !== null && body.resume_at !== undefined) {
      video.currentTime = body.resume_at / 1000;
      say(d.labelNoSeek);
    }
    if (body.completed) {
      part("hours").textContent = body.hours || "0";
      part("done").hidden = false;
    }
  }

  async function flush(keepalive) {
    if (sending || !token || !buffer.length) return;
    sending = true;
    const batch = buffer.slice(0, MAX_BUFFER);
    try {
      const response = await fetch(d.progressUrl, {
        method: "POST",
        credentials: "same-origin",
        keepalive: Boolean(keepalive),
        headers: { "Content-Type": "application/json", "X-CSRFToken": d.csrf },
        body: JSON.stringify({ token, reports: batch }),
      });
      if (response.status >= 500) throw new Error(String(response.status));
      buffer = buffer.slice(batch.length); // accepted, or refused with a reason: not resent
      const body = await response.json().catch(() => ({}));
      if (response.status === 409) {
        token = null;
        buffer = [];
        video.pause();
        say(body.message || d.labelSuperseded);
        return;
      }
      if (!response.ok) {
        say(`${d.labelRefused}${body.message || response.status}`);
        return;
      }
      show(body);
    } catch (error) {
      say(d.labelOffline); // kept in the buffer, sent with the next report
    } finally {
      sending = false;
    }
  }

  function report(keepalive) {
    if (!token) return;
    seq += 1;
    buffer.push({
      seq,
      t: Math.round(performance.now() - t0),
      pos: Math.round(video.currentTime * 1000),
      state: state(),
      rate: video.playbackRate,
    });
    // Bounded: drop the oldest but one (the span it ended is covered by its neighbours).
    if (buffer.length > MAX_BUFFER) buffer.splice(1, 1);
    flush(keepalive);
  }

  async function start() {
    const response = await fetch(d.startUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": d.csrf },
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      video.pause();
      say(body.message || String(response.status));
      return;
    }
    token = body.token;
    t0 = performance.now();
    seq = 0;
    buffer = [];
    forbid = body.forbid_seek_ahead;
    maxSpeed = body.max_speed || 1;
    furthest = (body.furthest_ms || 0) / 1000;
    say("");
  }

  video.addEventListener("loadedmetadata", () => {
    const resume = Number(d.resume || 0) / 1000;
    if (resume > 0 && resume < video.duration - 3) video.currentTime = resume;
  });
  video.addEventListener("play", async () => {
    if (!token) {
      const from = video.currentTime; // playing began here, before the session was open
      starting = starting || start().finally(() => { starting = null; });
      await starting;
      if (token && seq === 0) {
        seq = 1;
        buffer.push({ seq, t: 0, pos: Math.round(from * 1000), state: "playing", rate: video.playbackRate });
      }
    }
    report();
  });
  video.addEventListener("pause", () => report());
  video.addEventListener("ended", () => report());
  video.addEventListener("seeked", () => report());
  video.addEventListener("timeupdate", () => {
    if (!video.seeking && video.currentTime <= furthest + SEEK_SLACK) {
      furthest = Math.max(furthest, video.currentTime);
    }
  });
  video.addEventListener("seeking", () => {
    if (forbid && video.currentTime > furthest + SEEK_SLACK) {
      video.currentTime = furthest;
      say(d.labelNoSeek);
    }
  });
  video.addEventListener("ratechange", () => {
    if (video.playbackRate > maxSpeed) video.playbackRate = maxSpeed;
  });
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && !video.paused) {
      video.pause(); // its pause event reports the hidden state
      say(d.labelHidden);
    }
  });
  window.addEventListener("pagehide", () => report(true));
  window.setInterval(() => {
    if (!video.paused) report();
    else flush();
  }, REPORT_MS);
  part("play").addEventListener("click", () => { video.play(); });
})();
