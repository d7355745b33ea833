// Hosting: create a site, deploy files, attach the custom domain and its certificate (Netlify adapter in ./netlify).
export {};
