// Stylesheets are imported as text (`with { type: "text" }`) and inlined into pages.
declare module "*.css" {
  const text: string;
  export default text;
}

declare module "*.png" {
  const path: string;
  export default path;
}
