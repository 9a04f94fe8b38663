// 签到 pages: behaviour without inline scripts.

// Projector: fetch the next code right when the current one turns over (every 30 s).
(function () {
  const box = document.querySelector("[data-qr-url]");
  if (!box) return;
  const nextDelay = () => {
    const qr = box.querySelector("[data-next-ms]");
    return qr ? parseInt(qr.dataset.nextMs, 10) + 250 : 30000;
  };
  async function refresh() {
    let delay = 5000; // retry soon when the network hiccups
    try {
      const response = await fetch(box.dataset.qrUrl, { credentials: "same-origin" });
      // a redirect means the sign-in lapsed: keep the code on screen rather than a login form
      if (response.ok && !response.redirected) {
        box.innerHTML = await response.text();
        delay = nextDelay();
      }
    } catch (err) {
      /* keep the old code on screen and retry */
    }
    setTimeout(refresh, delay);
  }
  setTimeout(refresh, nextDelay());
})();

// Geofenced classroom: ask for the position, then send the check-in with it.
(function () {
  const form = document.querySelector("[data-geo-form]");
  if (!form) return;
  const status = form.querySelector("[data-geo-status]");
  if (!navigator.geolocation) {
    status.textContent = status.dataset.msgUnsupported;
    return;
  }
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      form.elements.lat.value = pos.coords.latitude;
      form.elements.lng.value = pos.coords.longitude;
      status.textContent = status.dataset.msgLocated;
      form.requestSubmit();
    },
    () => {
      status.textContent = status.dataset.msgDenied;
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
  );
})();

// Full-screen projector: the browser's own full screen (hides its bars too) on a click.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-fullscreen]") && document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(() => {});
  }
});

// Printable sign-in sheet.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
