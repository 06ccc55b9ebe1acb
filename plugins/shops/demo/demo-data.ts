/** The demo marketplace: three sellers, their shops and thirty products. Prices in cents. */

export const DEMO_CATEGORIES = [
  { name: 'Clothing', slug: 'clothing' },
  { name: 'Accessories', slug: 'accessories' },
  { name: 'Home & Kitchen', slug: 'home-kitchen' },
  { name: 'Electronics', slug: 'electronics' },
  { name: 'Stationery', slug: 'stationery' },
];

export interface DemoProduct {
  title: string;
  category: string;
  price: number;
  compareAt?: number;
  /** Omitted: unlimited. */
  stock?: number;
  tags: string[];
  description: string;
}

export interface DemoShop {
  seller: { username: string; email: string; first: string; last: string; password: string };
  shop: { name: string; slug: string; description: string; location: string; color: string; terms: string; returns: string; shipping: string };
  methods: Array<{ name: string; price: number; free_over: number | null; countries: string }>;
  products: DemoProduct[];
}

export const DEMO_SHOPS: DemoShop[] = [
  {
    seller: { username: 'seller1', email: 'seller1@demo.agora.local', first: 'Ingrid', last: 'Solberg', password: 'agora-demo-seller-1' },
    shop: {
      name: 'Nordlys Knitwear',
      slug: 'nordlys-knitwear',
      description: 'Warm things knitted from Norwegian wool in a small studio by the fjord.',
      location: 'Bergen, Norway',
      color: '#1d4e89',
      terms: 'Every piece is made to order within five working days.',
      returns: 'Unworn items can be returned within 30 days for a full refund.',
      shipping: 'Parcels leave the studio on Mondays and Thursdays.',
    },
    methods: [
      { name: 'Standard post', price: 590, free_over: 10000, countries: '' },
      { name: 'Express courier', price: 1490, free_over: null, countries: 'NO,SE,DK,DE,NL' },
    ],
    products: [
      { title: 'Fjord Wool Sweater', category: 'clothing', price: 12900, compareAt: 15900, stock: 6, tags: ['wool', 'winter', 'handmade'], description: 'A heavy crew-neck sweater in undyed Norwegian wool.\n\nKnitted by hand; every one is a little different.' },
      { title: 'Lofoten Beanie', category: 'accessories', price: 2900, tags: ['wool', 'winter', 'hat'], description: 'A ribbed beanie that keeps the wind out on the ferry.' },
      { title: 'Snowflake Mittens', category: 'accessories', price: 3900, compareAt: 4900, stock: 12, tags: ['wool', 'winter', 'gift'], description: 'Double-knitted mittens with the classic selbu star.' },
      { title: 'Cable Knit Scarf', category: 'accessories', price: 4900, tags: ['wool', 'scarf', 'gift'], description: 'Long, soft and warm: a scarf with a deep cable pattern.' },
      { title: 'Merino Base Layer', category: 'clothing', price: 6900, stock: 0, tags: ['merino', 'hiking'], description: 'A fine merino top for cold mornings in the mountains. Back in stock soon.' },
      { title: 'Reindeer Cardigan', category: 'clothing', price: 14900, stock: 3, tags: ['wool', 'cardigan', 'pattern'], description: 'A button-up cardigan with a reindeer band across the chest.' },
      { title: 'Chunky Wool Socks', category: 'clothing', price: 1900, tags: ['wool', 'socks', 'cozy'], description: 'Thick socks for wooden floors and cabin evenings.' },
      { title: 'Fisherman Rib Vest', category: 'clothing', price: 8900, compareAt: 9900, tags: ['wool', 'vest'], description: 'A sleeveless vest in fisherman rib; layers over a shirt.' },
      { title: 'Knitted Throw Blanket', category: 'home-kitchen', price: 11900, stock: 4, tags: ['wool', 'blanket', 'cozy'], description: 'A large throw in chunky garter stitch, for the sofa or the bed.' },
      { title: 'Wool Care Kit', category: 'accessories', price: 1500, tags: ['care', 'lanolin'], description: 'Lanolin wash, a wooden comb and a cedar block to keep moths away.' },
    ],
  },
  {
    seller: { username: 'seller2', email: 'seller2@demo.agora.local', first: 'Tiago', last: 'Ferreira', password: 'agora-demo-seller-2' },
    shop: {
      name: 'Terra Ceramics',
      slug: 'terra-ceramics',
      description: 'Wheel-thrown stoneware for everyday tables, glazed in the colours of the Douro.',
      location: 'Porto, Portugal',
      color: '#b5523b',
      terms: 'Handmade pottery: small variations in glaze and size are part of each piece.',
      returns: 'Returns within 14 days; breakage in transit is replaced free of charge.',
      shipping: 'Every piece is wrapped in recycled paper and double boxed.',
    },
    methods: [
      { name: 'Tracked parcel', price: 790, free_over: 8000, countries: '' },
      { name: 'Local pickup in Porto', price: 0, free_over: null, countries: 'PT' },
    ],
    products: [
      { title: 'Speckled Coffee Mug', category: 'home-kitchen', price: 2400, tags: ['ceramic', 'mug', 'coffee'], description: 'A 330 ml mug in speckled oatmeal glaze with a generous handle.' },
      { title: 'Douro Serving Bowl', category: 'home-kitchen', price: 5800, compareAt: 6800, stock: 5, tags: ['ceramic', 'bowl', 'kitchen'], description: 'A wide bowl for salads and fruit, glazed deep river blue.' },
      { title: 'Espresso Cup Pair', category: 'home-kitchen', price: 3200, tags: ['ceramic', 'coffee', 'gift'], description: 'Two small cups for strong coffee, one glossy and one matte.' },
      { title: 'Stoneware Dinner Plate', category: 'home-kitchen', price: 2900, stock: 20, tags: ['ceramic', 'plate', 'dinner'], description: 'A 27 cm plate, dishwasher safe, with a raw clay rim.' },
      { title: 'Olive Oil Pourer', category: 'home-kitchen', price: 3600, compareAt: 4200, tags: ['ceramic', 'kitchen', 'olive'], description: 'A small jug with a clean-cut spout that never drips.' },
      { title: 'Azulejo Coaster Set', category: 'home-kitchen', price: 2200, tags: ['tile', 'azulejo', 'gift'], description: 'Four coasters painted with traditional Portuguese tile patterns.' },
      { title: 'Bud Vase Trio', category: 'home-kitchen', price: 4500, stock: 2, tags: ['ceramic', 'vase', 'flowers'], description: 'Three little vases in different heights for a single stem each.' },
      { title: 'Ramen Bowl', category: 'home-kitchen', price: 3400, tags: ['ceramic', 'bowl', 'noodles'], description: 'A deep bowl with a glossy interior, big enough for noodles and broth.' },
      { title: 'Ceramic Teapot', category: 'home-kitchen', price: 7900, compareAt: 9500, stock: 3, tags: ['ceramic', 'tea'], description: 'A one-litre teapot with a built-in strainer and a bamboo handle.' },
      { title: 'Pottery Gift Card', category: 'stationery', price: 5000, tags: ['gift', 'card'], description: 'A printed gift card worth fifty euros at Terra Ceramics.' },
    ],
  },
  {
    seller: { username: 'seller3', email: 'seller3@demo.agora.local', first: 'Lena', last: 'Hoffmann', password: 'agora-demo-seller-3' },
    shop: {
      name: 'Pixel & Bolt',
      slug: 'pixel-and-bolt',
      description: 'Small gadgets and desk tools, tested on our own desks in Berlin.',
      location: 'Berlin, Germany',
      color: '#2f2f3a',
      terms: 'Electronics carry a two-year warranty.',
      returns: 'Return anything unused within 30 days; we pay return postage in the EU.',
      shipping: 'Orders before 14:00 leave the same day.',
    },
    methods: [
      { name: 'DHL parcel', price: 490, free_over: 5000, countries: '' },
      { name: 'Next-day delivery', price: 990, free_over: null, countries: 'DE,AT' },
    ],
    products: [
      { title: 'Mechanical Keyboard', category: 'electronics', price: 11900, compareAt: 13900, stock: 8, tags: ['keyboard', 'desk', 'usb'], description: 'A tenkeyless keyboard with hot-swappable tactile switches.' },
      { title: 'USB-C Desk Hub', category: 'electronics', price: 4900, tags: ['usb', 'desk', 'laptop'], description: 'Seven ports, 100 W pass-through charging and an aluminium body.' },
      { title: 'Wireless Charging Pad', category: 'electronics', price: 2900, compareAt: 3900, tags: ['charger', 'wireless', 'phone'], description: 'A slim Qi pad with a soft light that turns off at night.' },
      { title: 'Noise Cancelling Earbuds', category: 'electronics', price: 8900, stock: 10, tags: ['audio', 'earbuds', 'travel'], description: 'Earbuds with active noise cancelling and eight hours of battery.' },
      { title: 'Desk Lamp with Dimmer', category: 'electronics', price: 5900, tags: ['lamp', 'desk', 'light'], description: 'A warm LED lamp with a stepless dimmer and a weighted base.' },
      { title: 'Cable Organizer Kit', category: 'accessories', price: 1400, tags: ['desk', 'cables', 'tidy'], description: 'Clips, sleeves and ties that make the mess under the desk go away.' },
      { title: 'Dot Grid Notebook', category: 'stationery', price: 1800, tags: ['notebook', 'paper', 'journal'], description: 'A5, 160 pages of 100 g paper that fountain pens love.' },
      { title: 'Aluminium Laptop Stand', category: 'accessories', price: 3900, stock: 1, tags: ['laptop', 'desk', 'ergonomic'], description: 'Raises the screen to eye level and folds flat for travel.' },
      { title: 'Portable SSD 1TB', category: 'electronics', price: 9900, compareAt: 11900, tags: ['storage', 'usb', 'travel'], description: 'A pocket-sized drive reading at 1,000 MB/s over USB-C.' },
      { title: 'Fountain Pen Starter Set', category: 'stationery', price: 2600, tags: ['pen', 'ink', 'gift'], description: 'A steel-nib pen with a converter and three ink cartridges.' },
    ],
  },
];
