// pptoolkit: Decap starts when start.js, the admin page's last script, says so, once translations.js has wrapped
// its backend and its locale has every phrase; started by itself, it could read config.yml before either.
window.CMS_MANUAL_INIT = true;
