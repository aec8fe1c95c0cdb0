// Progressive enhancement: tell the server the browser's time zone (a cookie), so that dates and
// times are shown in it from the next page on. Without this script, the site's default zone is
// used (QUIZAPP_TIMEZONE), and every time says nothing false: it is only in another zone.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) {
    return;
  }
  var current = document.cookie.match(/(?:^|;\s*)quizapp_tz=([^;]*)/);
  if (!current || current[1] !== zone) {
    document.cookie = "quizapp_tz=" + zone +
      "; path=/; max-age=31536000; samesite=lax";
  }
})();
